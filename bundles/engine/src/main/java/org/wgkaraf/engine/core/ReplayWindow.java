package org.wgkaraf.engine.core;

import java.util.Arrays;

/**
 * The receive-side anti-replay window of RFC 6479, sized as in the Linux kernel's WireGuard:
 * a ring of {@value #WORDS} 64-bit words ({@value #BITS_TOTAL} bits), of which one word is kept as
 * slack so that advancing never clears a bit still inside the window. A counter is accepted if it
 * was never seen and is at most {@value #WINDOW_SIZE} below the highest counter accepted so far.
 *
 * <p>Counters are unsigned 64-bit values carried in a {@code long}; every comparison is unsigned,
 * so the whitepaper's {@link #REJECT_AFTER_MESSAGES} (2^64 - 2^13 - 1, i.e. {@code -8193L}) is
 * passed as is. Internally the window tracks {@code counter + 1}, which lets zero mean "nothing seen yet";
 * that cannot wrap because an accepted counter is always below {@code rejectAfterMessages}.
 *
 * <p>No method allocates. The methods are synchronized: cheap when uncontended, and it lets the
 * engine check and record from whichever thread decrypted the packet.
 */
public final class ReplayWindow {

    /** Bits in the ring. */
    public static final int BITS_TOTAL = 8192;
    /** How far below the highest accepted counter a counter may still be accepted. */
    public static final int WINDOW_SIZE = BITS_TOTAL - Long.SIZE;
    /** The whitepaper's REJECT_AFTER_MESSAGES, 2^64 - 2^13 - 1, as an unsigned value in a long. */
    public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1;

    private static final int WORDS = BITS_TOTAL / Long.SIZE;
    private static final int WORD_MASK = WORDS - 1;
    private static final int BIT_MASK = Long.SIZE - 1;
    private static final int WORD_SHIFT = 6;

    private final long[] bitmap = new long[WORDS];
    /** Highest accepted counter plus one, unsigned; zero before the first acceptance. */
    private long next;

    public ReplayWindow() {
    }

    /**
     * Tells whether {@link #accept} would accept {@code counter} now, without recording it: the
     * engine checks before spending time on decryption and records only once the packet has
     * authenticated, so a forged packet cannot move the window.
     */
    public synchronized boolean check(long counter, long rejectAfterMessages) {
        if (!admissible(counter, rejectAfterMessages)) {
            return false;
        }
        long shifted = counter + 1;
        if (Long.compareUnsigned(shifted, next) > 0) {
            return true;
        }
        return (bitmap[wordOf(shifted)] & bitOf(shifted)) == 0;
    }

    /** {@link #check(long, long)} against the whitepaper's REJECT_AFTER_MESSAGES. */
    public boolean check(long counter) {
        return check(counter, REJECT_AFTER_MESSAGES);
    }

    /** Records {@code counter} and returns true iff it is new, inside the window and below the limit. */
    public synchronized boolean accept(long counter, long rejectAfterMessages) {
        if (!admissible(counter, rejectAfterMessages)) {
            return false;
        }
        long shifted = counter + 1;
        if (Long.compareUnsigned(shifted, next) > 0) {
            advanceTo(shifted);
        }
        int word = wordOf(shifted);
        long bit = bitOf(shifted);
        if ((bitmap[word] & bit) != 0) {
            return false;
        }
        bitmap[word] |= bit;
        return true;
    }

    /** Whether any counter was accepted since the window was made or reset. */
    public synchronized boolean acceptedAny() {
        return next != 0;
    }

    /** Forgets every counter, as for a fresh keypair. */
    public synchronized void reset() {
        Arrays.fill(bitmap, 0L);
        next = 0;
    }

    private boolean admissible(long counter, long rejectAfterMessages) {
        if (Long.compareUnsigned(counter, rejectAfterMessages) >= 0) {
            return false;
        }
        long shifted = counter + 1;
        // Too old: more than WINDOW_SIZE below the highest. Written as a difference so it
        // cannot overflow near the top of the unsigned range.
        return Long.compareUnsigned(shifted, next) >= 0
                || Long.compareUnsigned(next - shifted, WINDOW_SIZE) <= 0;
    }

    /** Moves the top of the window to {@code shifted}, clearing the words that now come into it. */
    private void advanceTo(long shifted) {
        long fromWord = next >>> WORD_SHIFT;
        long toWord = shifted >>> WORD_SHIFT;
        // Both are below 2^58, so the difference is a positive signed long.
        long steps = Math.min(toWord - fromWord, WORDS);
        for (long i = 1; i <= steps; i++) {
            bitmap[(int) ((fromWord + i) & WORD_MASK)] = 0L;
        }
        next = shifted;
    }

    private static int wordOf(long shifted) {
        return (int) ((shifted >>> WORD_SHIFT) & WORD_MASK);
    }

    private static long bitOf(long shifted) {
        return 1L << (shifted & BIT_MASK);
    }
}
