package io.kubeaudit.apply.observe;

import java.io.IOException;
import java.util.List;

/** Several independent views of the same restarts; the one that saw the most is believed. */
public final class AnyRestartWatch implements RestartWatch {

    private final List<RestartWatch> watches;

    public AnyRestartWatch(List<RestartWatch> watches) {
        this.watches = List.copyOf(watches);
    }

    @Override
    public Restarts poll() throws IOException {
        Restarts best = Restarts.NONE;
        for (RestartWatch w : watches) {
            Restarts r = w.poll();
            if (r.count() > best.count()) {
                best = r;
            }
        }
        return best;
    }
}
