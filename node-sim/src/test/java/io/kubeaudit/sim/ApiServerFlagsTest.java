package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.node.KubeVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiServerFlagsTest {

    private static final KubeVersion V129 = new KubeVersion(1, 29, 0);

    @Test
    void anUnknownAuditFlagFailsLikeCobra() {
        StartupException e = assertThrows(StartupException.class,
                () -> ApiServerFlags.parse(List.of("--secure-port=6443", "--audit-foo=1"), V129));
        assertEquals("unknown flag: --audit-foo", e.getMessage());
    }

    @Test
    void compressExistsFromKubernetes120() throws Exception {
        assertEquals("unknown flag: --audit-log-compress", assertThrows(StartupException.class,
                () -> ApiServerFlags.parse(List.of("--audit-log-compress"), new KubeVersion(1, 19, 4))).getMessage());
        assertTrue(ApiServerFlags.parse(List.of("--audit-log-compress"), new KubeVersion(1, 20, 0)).bool("audit-log-compress"));
    }

    @Test
    void valuesFollowPflagSyntax() throws Exception {
        ApiServerFlags f = ApiServerFlags.parse(List.of("--audit-log-maxsize", "7", "--audit-log-compress=false",
                "--audit-log-path=/var/log/a.log", "--secure-port=16443", "--v=2", "--anonymous-auth"), V129);
        assertEquals(7, f.integer("audit-log-maxsize", 0));
        assertEquals(false, f.bool("audit-log-compress"));
        assertEquals("/var/log/a.log", f.string("audit-log-path", ""));
        assertEquals(16443, f.securePort());
        assertEquals("true", f.others().get("anonymous-auth"));
    }

    @Test
    void badValuesAndStrayArgumentsGiveTheServersMessages() {
        assertEquals("invalid argument \"ten\" for \"--audit-log-maxage\" flag: strconv.ParseInt: parsing \"ten\": invalid syntax",
                assertThrows(StartupException.class, () -> ApiServerFlags.parse(List.of("--audit-log-maxage=ten"), V129)).getMessage());
        assertEquals("invalid argument \"yes\" for \"--audit-log-compress\" flag: strconv.ParseBool: parsing \"yes\": invalid syntax",
                assertThrows(StartupException.class, () -> ApiServerFlags.parse(List.of("--audit-log-compress=yes"), V129)).getMessage());
        assertEquals("invalid argument \"5 seconds\" for \"--audit-log-batch-max-wait\" flag: time: invalid duration \"5 seconds\"",
                assertThrows(StartupException.class, () -> ApiServerFlags.parse(List.of("--audit-log-batch-max-wait=5 seconds"), V129))
                        .getMessage());
        assertEquals("flag needs an argument: --audit-log-path",
                assertThrows(StartupException.class, () -> ApiServerFlags.parse(List.of("--audit-log-path"), V129)).getMessage());
        assertEquals("\"kube-apiserver\" does not take any arguments, got [\"audit.log\"]",
                assertThrows(StartupException.class, () -> ApiServerFlags.parse(List.of("--v=1", "audit.log"), V129)).getMessage());
    }

    @Test
    void auditOptionsAreValidatedAsTheServerDoes() throws Exception {
        AuditLogOptions o = AuditLogOptions.from(ApiServerFlags.parse(List.of("--audit-log-path=/l", "--audit-log-maxage=-1",
                "--audit-log-format=yaml", "--audit-log-version=audit.k8s.io/v1beta1"), V129));
        assertEquals("[invalid audit log version audit.k8s.io/v1beta1, allowed versions are \"audit.k8s.io/v1\", "
                + "invalid audit log format yaml, allowed formats are \"legacy,json\", --audit-log-maxage -1 can't be a negative number]",
                AuditLogOptions.aggregate(o.validate(V129)));
        assertTrue(o.validate(new KubeVersion(1, 23, 0)).stream().noneMatch(e -> e.contains("version")));
        AuditLogOptions off = AuditLogOptions.from(ApiServerFlags.parse(List.of("--audit-log-maxage=-1"), V129));
        assertTrue(off.validate(V129).isEmpty(), "without --audit-log-path the log options are not checked");
    }
}
