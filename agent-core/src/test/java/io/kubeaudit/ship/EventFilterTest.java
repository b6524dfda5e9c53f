package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.FilterConfig;
import io.kubeaudit.config.FilterConfig.Resources;
import io.kubeaudit.config.FilterConfig.Rule;
import io.kubeaudit.ship.sink.AuditFields;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFilterTest {

    private static final AuditFields POD_LOG = fields("{\"kind\":\"Event\",\"level\":\"Request\",\"auditID\":\"a\",\"stage\":\"ResponseComplete\","
            + "\"verb\":\"get\",\"user\":{\"username\":\"system:serviceaccount:kube-system:replicaset-controller\","
            + "\"groups\":[\"system:serviceaccounts\",\"system:authenticated\"]},"
            + "\"objectRef\":{\"resource\":\"pods\",\"subresource\":\"log\",\"namespace\":\"payments\",\"name\":\"api-1\",\"apiVersion\":\"v1\"},"
            + "\"responseStatus\":{\"metadata\":{},\"code\":403}}");
    private static final AuditFields DEPLOYMENT_PATCH = fields("{\"kind\":\"Event\",\"level\":\"RequestResponse\",\"auditID\":\"b\","
            + "\"stage\":\"ResponseComplete\",\"verb\":\"patch\",\"user\":{\"username\":\"alice\",\"groups\":[\"platform\"]},"
            + "\"objectRef\":{\"resource\":\"deployments\",\"namespace\":\"payments\",\"apiGroup\":\"apps\",\"apiVersion\":\"v1\"},"
            + "\"responseStatus\":{\"metadata\":{},\"code\":200}}");
    private static final AuditFields RECEIVED = fields("{\"kind\":\"Event\",\"level\":\"Metadata\",\"auditID\":\"c\",\"stage\":\"RequestReceived\","
            + "\"verb\":\"list\",\"user\":{\"username\":\"admin\"},\"requestURI\":\"/healthz\"}");

    @Test
    void noRulesTakesEverything() {
        EventFilter all = new EventFilter(FilterConfig.EVERYTHING);
        assertFalse(all.isActive());
        assertTrue(all.accepts(POD_LOG) && all.accepts(DEPLOYMENT_PATCH) && all.accepts(RECEIVED));
    }

    @Test
    void writesOnlyForKafka() {
        EventFilter writes = new EventFilter(new FilterConfig(List.of(rule().verbs("create", "update", "patch", "delete", "deletecollection").build()),
                List.of()));
        assertTrue(writes.accepts(DEPLOYMENT_PATCH));
        assertFalse(writes.accepts(POD_LOG));
        assertFalse(writes.accepts(RECEIVED));
    }

    @Test
    void excludeDropsRequestReceivedAndServiceAccountsByPrefix() {
        EventFilter f = new EventFilter(new FilterConfig(List.of(), List.of(rule().stages("RequestReceived").build(),
                rule().users("system:serviceaccount:kube-system:*").build())));
        assertFalse(f.accepts(RECEIVED));
        assertFalse(f.accepts(POD_LOG));
        assertTrue(f.accepts(DEPLOYMENT_PATCH));
    }

    @Test
    void fieldsOfARuleAllHoldAndValuesOfAFieldAnyOne() {
        Rule forbiddenPayments = rule().namespaces("payments").codes("4xx").build();
        assertTrue(EventFilter.matches(forbiddenPayments, POD_LOG));
        assertFalse(EventFilter.matches(forbiddenPayments, DEPLOYMENT_PATCH), "a 200 is not 4xx");
        assertFalse(EventFilter.matches(rule().codes("403").build(), RECEIVED), "no code yet");
        assertTrue(EventFilter.matches(rule().groups("platform", "sre").build(), DEPLOYMENT_PATCH));
        assertFalse(EventFilter.matches(rule().groups("sre").build(), DEPLOYMENT_PATCH));
        assertTrue(EventFilter.matches(rule().levels("Request", "RequestResponse").build(), DEPLOYMENT_PATCH));
    }

    @Test
    void resourcesMatchLikeAnAuditPolicy() {
        assertTrue(EventFilter.matches(rule().resources(new Resources("", List.of("pods/log"))).build(), POD_LOG));
        assertTrue(EventFilter.matches(rule().resources(new Resources("", List.of("pods/*"))).build(), POD_LOG));
        assertFalse(EventFilter.matches(rule().resources(new Resources("", List.of("pods"))).build(), POD_LOG), "pods is not pods/log");
        assertTrue(EventFilter.matches(rule().resources(new Resources("", List.of("*/log"))).build(), POD_LOG));
        assertTrue(EventFilter.matches(rule().resources(new Resources("apps", List.of("deployments/*"))).build(), DEPLOYMENT_PATCH),
                "deployments/* is the resource and all its subresources, as in a policy");
        assertFalse(EventFilter.matches(rule().resources(new Resources("apps", List.of())).build(), POD_LOG), "the core group is \"\"");
        assertTrue(EventFilter.matches(rule().resources(new Resources("apps", List.of())).build(), DEPLOYMENT_PATCH));
        assertTrue(EventFilter.matches(rule().resources(new Resources("*", List.of("deployments"))).build(), DEPLOYMENT_PATCH));
        assertFalse(EventFilter.matches(rule().resources(new Resources("*", List.of("*"))).build(), RECEIVED), "a non-resource request");
    }

    private static AuditFields fields(String json) {
        return AuditFields.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static RuleBuilder rule() {
        return new RuleBuilder();
    }

    private static final class RuleBuilder {
        List<String> levels = List.of();
        List<String> stages = List.of();
        List<String> verbs = List.of();
        List<String> users = List.of();
        List<String> groups = List.of();
        List<String> namespaces = List.of();
        List<Resources> resources = List.of();
        List<String> codes = List.of();

        RuleBuilder levels(String... v) {
            levels = List.of(v);
            return this;
        }

        RuleBuilder stages(String... v) {
            stages = List.of(v);
            return this;
        }

        RuleBuilder verbs(String... v) {
            verbs = List.of(v);
            return this;
        }

        RuleBuilder users(String... v) {
            users = List.of(v);
            return this;
        }

        RuleBuilder groups(String... v) {
            groups = List.of(v);
            return this;
        }

        RuleBuilder namespaces(String... v) {
            namespaces = List.of(v);
            return this;
        }

        RuleBuilder resources(Resources... v) {
            resources = List.of(v);
            return this;
        }

        RuleBuilder codes(String... v) {
            codes = List.of(v);
            return this;
        }

        Rule build() {
            return new Rule(levels, stages, verbs, users, groups, namespaces, resources, codes);
        }
    }
}
