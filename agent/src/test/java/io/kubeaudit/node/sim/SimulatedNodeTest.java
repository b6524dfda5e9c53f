package io.kubeaudit.node.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedNodeTest {

    @Test
    void realKubectlGetNodesSucceedsAgainstAStartedNode(@TempDir Path root) throws Exception {
        long t0 = System.nanoTime();
        SimulatedNode created = SimulatedNode.create(root);
        System.err.println("TIMING create " + (System.nanoTime() - t0) / 1000000);
        try (SimulatedNode node = created.start()) {
            System.err.println("TIMING started " + (System.nanoTime() - t0) / 1000000);
            Kubectl.Result nodes = Kubectl.run(node, "get", "nodes");
            assertEquals(0, nodes.exitCode(), nodes.toString());
            assertTrue(nodes.stdout().contains(node.nodeName()) && nodes.stdout().contains("Ready"), nodes.toString());

            Kubectl.Result pods = Kubectl.run(node, "get", "pods", "-n", "kube-system");
            assertEquals(0, pods.exitCode(), pods.toString());
            assertTrue(pods.stdout().contains("kube-apiserver-" + node.nodeName()), pods.toString());
            assertTrue(Files.exists(node.adminKubeconfig()));
            System.err.println("TIMING kubectl " + (System.nanoTime() - t0) / 1000000);
        }
        System.err.println("TIMING closed " + (System.nanoTime() - t0) / 1000000);
    }
}
