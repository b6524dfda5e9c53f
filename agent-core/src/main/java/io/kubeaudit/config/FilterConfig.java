package io.kubeaudit.config;

import java.util.List;
import java.util.Set;

/**
 * Which events one destination gets: those matching any {@code include} rule (every event when there
 * is none) and no {@code exclude} rule. An event left out counts as acknowledged for that destination.
 */
public record FilterConfig(List<Rule> include, List<Rule> exclude) {

    public static final FilterConfig EVERYTHING = new FilterConfig(List.of(), List.of());

    static final Setting<List<Rule>> INCLUDE = Setting.of("include", ListType.of(Rule.SETTINGS), List.of(),
            "rules an event must match one of (none: every event)");
    static final Setting<List<Rule>> EXCLUDE = Setting.of("exclude", ListType.of(Rule.SETTINGS), List.of(),
            "rules an event must match none of");
    static final Section<FilterConfig> SETTINGS = Section.of("ship.destinations[].filter",
            "Which events the destination gets: any include rule (every event without one) and no exclude rule. An event left"
                    + " out counts as acknowledged for the destination. A rule matches when every field it sets matches; a field"
                    + " when any of its values does; names may end in * (a prefix) or be *.",
            v -> new FilterConfig(v.get(INCLUDE), v.get(EXCLUDE)), INCLUDE, EXCLUDE);

    public FilterConfig {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public boolean isEverything() {
        return include.isEmpty() && exclude.isEmpty();
    }

    /**
     * One rule: an event matches when it matches every field the rule sets (an empty list sets nothing),
     * and a field when it matches any of its values. Names may end in {@code *} (a prefix), or be {@code *}.
     *
     * @param levels     Metadata, Request, RequestResponse (None is never logged)
     * @param stages     RequestReceived, ResponseStarted, ResponseComplete, Panic
     * @param verbs      get, list, watch, create, update, patch, delete, deletecollection, ... (lower-case HTTP methods for non-resource URLs)
     * @param users      user.username
     * @param groups     user.groups: an event matches when any of its groups does
     * @param namespaces objectRef.namespace ("" for cluster-scoped resources)
     * @param resources  objectRef.apiGroup, .resource and .subresource, as in an audit policy
     * @param codes      responseStatus.code: a code (404) or a class (4xx)
     */
    public record Rule(List<String> levels, List<String> stages, List<String> verbs, List<String> users, List<String> groups,
                       List<String> namespaces, List<Resources> resources, List<String> codes) {

        private static final Set<String> LEVELS = Set.of("Metadata", "Request", "RequestResponse");
        private static final Set<String> STAGES = Set.of("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic");

        static final Setting<List<String>> LEVEL = Setting.of("levels", Types.STRING_LIST, List.of(), "event levels")
                .check(l -> LEVELS.containsAll(l), "Metadata, Request or RequestResponse",
                        (name, l) -> name + " " + l + " may hold only Metadata, Request and RequestResponse");
        static final Setting<List<String>> STAGE = Setting.of("stages", Types.STRING_LIST, List.of(), "event stages")
                .check(l -> STAGES.containsAll(l), "RequestReceived, ResponseStarted, ResponseComplete or Panic",
                        (name, l) -> name + " " + l + " may hold only RequestReceived, ResponseStarted, ResponseComplete and Panic");
        static final Setting<List<String>> VERB = Setting.of("verbs", Types.STRING_LIST, List.of(),
                "verbs (get, list, watch, create, update, patch, delete, deletecollection; lower-case HTTP methods for other URLs)");
        static final Setting<List<String>> USER = Setting.of("users", Types.STRING_LIST, List.of(), "user.username");
        static final Setting<List<String>> GROUP = Setting.of("groups", Types.STRING_LIST, List.of(),
                "user.groups: an event matches when one of its groups does");
        static final Setting<List<String>> NAMESPACE = Setting.of("namespaces", Types.STRING_LIST, List.of(),
                "objectRef.namespace (\"\" for cluster-scoped resources)");
        static final Setting<List<Resources>> RESOURCE = Setting.of("resources", ListType.of(Resources.SETTINGS), List.of(),
                "objectRef's group, resource and subresource, written as in an audit policy");
        static final Setting<List<String>> CODE = Setting.of("codes", Types.STRING_LIST, List.of(),
                        "responseStatus.code: a code (404) or a class (4xx); an event without one (RequestReceived) matches none")
                .check(l -> l.stream().allMatch(c -> c.matches("[1-5][0-9][0-9]|[1-5]xx")), "codes such as 403 or classes such as 5xx",
                        (name, l) -> name + " " + l + " may hold only codes such as 403 and classes such as 5xx");
        static final Section<Rule> SETTINGS = Section.of("ship.destinations[].filter.include[]",
                        "One rule of a filter (include or exclude).",
                        v -> new Rule(v.get(LEVEL), v.get(STAGE), v.get(VERB), v.get(USER), v.get(GROUP), v.get(NAMESPACE), v.get(RESOURCE),
                                v.get(CODE)),
                        LEVEL, STAGE, VERB, USER, GROUP, NAMESPACE, RESOURCE, CODE)
                .rule(v -> !List.of(v.get(LEVEL), v.get(STAGE), v.get(VERB), v.get(USER), v.get(GROUP), v.get(NAMESPACE), v.get(RESOURCE),
                                v.get(CODE)).stream().allMatch(List::isEmpty), "a rule sets at least one field",
                        (path, v) -> path + " sets no field: it would match every event");

        public Rule {
            levels = List.copyOf(levels);
            stages = List.copyOf(stages);
            verbs = List.copyOf(verbs);
            users = List.copyOf(users);
            groups = List.copyOf(groups);
            namespaces = List.copyOf(namespaces);
            resources = List.copyOf(resources);
            codes = List.copyOf(codes);
        }
    }

    /**
     * Resources of one API group, as an audit policy writes them: {@code group} ("" the core group, "*"
     * any) and {@code resources} ("pods", "pods/log" for a subresource, "pods/*", "*"; empty: all of the group).
     */
    public record Resources(String group, List<String> resources) {

        static final Setting<String> GROUP = Setting.of("group", Types.STRING, "", "the API group: \"\" the core group, * any");
        static final Setting<List<String>> NAMES = Setting.of("resources", Types.STRING_LIST, List.of(),
                "pods, pods/log (a subresource), pods/* (pods and its subresources), */log, *; none: every resource of the group");
        static final Section<Resources> SETTINGS = Section.of("ship.destinations[].filter.include[].resources[]",
                "Resources of one API group.", v -> new Resources(v.get(GROUP), v.get(NAMES)), GROUP, NAMES);

        public Resources {
            resources = List.copyOf(resources);
        }
    }
}
