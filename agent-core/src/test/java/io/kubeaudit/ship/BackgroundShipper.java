package io.kubeaudit.ship;

/** A {@link Shipper} running on its own thread, as the ship command runs it; closing stops it and waits for the end. */
final class BackgroundShipper implements AutoCloseable {

    private final Shipper shipper;
    private final Thread thread;

    private BackgroundShipper(Shipper shipper) {
        this.shipper = shipper;
        this.thread = new Thread(() -> {
            try {
                shipper.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-shipper");
        thread.start();
    }

    static BackgroundShipper run(Shipper shipper) {
        return new BackgroundShipper(shipper);
    }

    @Override
    public void close() throws InterruptedException {
        shipper.requestStop();
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new AssertionError("the shipper did not stop within 10 s of requestStop()");
        }
    }
}
