package org.wgkaraf.netif.tcp;

/**
 * The delivery rate of a connection, sampled per acknowledgment as draft-cheng-iccrg-delivery-
 * rate-estimation describes (the estimator Linux's BBR uses): every segment remembers, when sent,
 * how much had been delivered by then and when; when it is delivered (cumulatively acknowledged or
 * SACKed), the bytes delivered since, over the longer of the send and the ACK intervals, give the
 * rate the path carried. Samples taken while the application had nothing to send are marked, as
 * they say nothing about the path's limit.
 */
final class DeliveryRate {
    /** Bytes delivered so far (cumulatively acknowledged or SACKed, each once). */
    long delivered;
    /** When {@link #delivered} last grew. */
    long deliveredTime;
    /** Send time of the segment most recently delivered: the start of the current send interval. */
    long firstSentTime;
    /**
     * Bytes found lost so far (each loss of a transmission once), and in how many loss events
     * (acknowledgments at which more had been found lost than at the one before), for BBR's
     * Startup.
     */
    long lost;
    long lossEvents;
    /** Samples are application-limited until {@link #delivered} passes this (0: they are not). */
    long appLimitedUntil;

    // The sample being built for the current ACK: from the most recently sent segment delivered.
    private long priorDelivered = -1;
    private long priorTime;
    private long sendElapsed;
    private boolean sampleAppLimited;

    // The last sample taken.
    long sampleDelivered;
    long sampleInterval;
    boolean sampleIsAppLimited;
    long samplePriorDelivered;

    /** Segment i of {@code q} is being sent now, with {@code nothingInFlight} before it. */
    void sent(RetransmissionQueue q, int i, long now, boolean nothingInFlight) {
        if (nothingInFlight) {
            firstSentTime = now;
            deliveredTime = now;
        }
        q.stamp(i, delivered, deliveredTime, firstSentTime, appLimitedUntil > delivered);
    }

    /**
     * What the loss detection has found lost so far, in bytes; called at every acknowledgment, so
     * each increase is one loss event: a burst of drops found by one ACK counts once.
     */
    void lostSoFar(long bytes) {
        if (bytes > lost) {
            lossEvents++;
            lost = bytes;
        }
    }

    /**
     * Segment i of {@code q}, {@code bytes} long, was delivered now (and never before).
     *
     * @param earlierTransmission the ACK may answer an earlier transmission than the one whose
     *                            send state the segment holds ({@link Rack#answersEarlierTransmission}):
     *                            its bytes count, its state dates no sample
     */
    void delivered(RetransmissionQueue q, int i, int bytes, long now, boolean earlierTransmission) {
        delivered += bytes;
        deliveredTime = now;
        if (earlierTransmission) {
            return;
        }
        long d = q.deliveredAtSend(i);
        if (priorDelivered < 0 || d >= priorDelivered) {
            priorDelivered = d;
            priorTime = q.deliveredTimeAtSend(i);
            sendElapsed = q.sentAt(i) - q.firstSentAtSend(i);
            sampleAppLimited = q.has(i, RetransmissionQueue.APP_LIMITED);
            firstSentTime = q.sentAt(i);
        }
    }

    /**
     * Ends the ACK: makes the sample from what it delivered. A sample over a shorter interval than
     * the minimum RTT (up to 1 ms) is noise and is dropped.
     *
     * @param minRtt the path's minimum round-trip time so far
     * @return whether a sample was made
     */
    boolean sample(long now, long minRtt) {
        if (priorDelivered < 0) {
            return false;
        }
        long interval = Math.max(sendElapsed, deliveredTime - priorTime);
        sampleDelivered = delivered - priorDelivered;
        sampleInterval = interval;
        sampleIsAppLimited = sampleAppLimited;
        samplePriorDelivered = priorDelivered;
        priorDelivered = -1;
        if (appLimitedUntil != 0 && delivered > appLimitedUntil) {
            appLimitedUntil = 0;
        }
        return interval > 0 && interval >= Math.min(minRtt, 1_000_000L) && sampleDelivered > 0;
    }

    /** Bytes per second of the last sample. */
    long rate() {
        return sampleDelivered * 1_000_000_000L / Math.max(1, sampleInterval);
    }

    /** The application ran out of data with {@code inFlight} bytes in flight: later samples until those are delivered say little. */
    void applicationLimited(int inFlight) {
        appLimitedUntil = Math.max(1, delivered + inFlight);
    }
}
