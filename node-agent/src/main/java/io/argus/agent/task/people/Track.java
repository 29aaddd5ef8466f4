package io.argus.agent.task.people;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.argus.task.geom.BoxF;
import io.argus.task.geom.Pt;
import org.jspecify.annotations.Nullable;

/**
 * One tracked person. The centre follows a constant-velocity Kalman filter per axis (state:
 * position and velocity, measured: position); width and height follow an exponential average,
 * which is enough because a walking person's size changes slowly. Noise is proportional to the
 * person's height, so the same settings hold for near and far people and for any resolution.
 *
 * <p>Public fields: the tracker and its state export own this object, nobody else.
 */
public final class Track {
    public enum State { TENTATIVE, CONFIRMED }

    /** Process noise per frame, as a fraction of the box height (walking people change speed slowly). */
    static final double Q = 0.05;
    /** Measurement noise, as a fraction of the box height (HOG boxes jitter by about this much). */
    static final double R = 0.08;

    public long id;               // 0 while tentative; ids are assigned at confirmation, densely
    public long provisional;      // internal id before confirmation
    public State state = State.TENTATIVE;
    public double x, vx, pxx, pxv, pvv;
    public double y, vy, pyy, pyv, pvvy;
    public double w, h;
    public int hits;
    public int misses;
    public int age;               // frames since birth
    public long lastIndex;        // source index of the last update or prediction
    public double score;
    public float @Nullable [] appearance;    // running average of the person's colour histogram

    public Track() {
    }

    Track(long provisional, Detection d, long index) {
        this.provisional = provisional;
        BoxF b = d.box();
        this.x = b.cx();
        this.y = b.cy();
        this.w = b.w();
        this.h = b.h();
        double r = sq(R * h);
        this.pxx = r;
        this.pyy = r;
        this.pvv = sq(0.5 * h); // unknown speed: up to half a body height per frame
        this.pvvy = pvv;
        this.hits = 1;
        this.lastIndex = index;
        this.score = d.score();
        this.appearance = d.appearance() == null ? null : d.appearance().clone();
    }

    /** Advances the filter to frame {@code index}. */
    void predict(long index) {
        double dt = Math.max(1, index - lastIndex);
        lastIndex = index;
        double q = sq(Q * h);
        // x' = x + v dt ; P' = F P F^T + Q (Q on velocity, integrated into position)
        x += vx * dt;
        double nxx = pxx + 2 * dt * pxv + dt * dt * pvv + q * dt * dt;
        double nxv = pxv + dt * pvv;
        pvv += q;
        pxx = nxx;
        pxv = nxv;
        y += vy * dt;
        double nyy = pyy + 2 * dt * pyv + dt * dt * pvvy + q * dt * dt;
        double nyv = pyv + dt * pvvy;
        pvvy += q;
        pyy = nyy;
        pyv = nyv;
        age++;
    }

    void correct(Detection d) {
        BoxF b = d.box();
        double r = sq(R * h);
        double kx = pxx / (pxx + r);
        double kv = pxv / (pxx + r);
        double ex = b.cx() - x;
        x += kx * ex;
        vx += kv * ex;
        double npxx = (1 - kx) * pxx;
        double npxv = (1 - kx) * pxv;
        pvv -= kv * pxv;
        pxx = npxx;
        pxv = npxv;
        double ky = pyy / (pyy + r);
        double kvy = pyv / (pyy + r);
        double ey = b.cy() - y;
        y += ky * ey;
        vy += kvy * ey;
        double npyy = (1 - ky) * pyy;
        double npyv = (1 - ky) * pyv;
        pvvy -= kvy * pyv;
        pyy = npyy;
        pyv = npyv;
        w += 0.3 * (b.w() - w);
        h += 0.3 * (b.h() - h);
        hits++;
        misses = 0;
        score = d.score();
        if (d.appearance() != null) {
            if (appearance == null) {
                appearance = d.appearance().clone();
            } else {
                for (int i = 0; i < appearance.length; i++) {
                    appearance[i] = 0.8f * appearance[i] + 0.2f * d.appearance()[i];
                }
            }
        }
    }

    @JsonIgnore
    public BoxF box() {
        return BoxF.ofCenter(x, y, w, h);
    }

    @JsonIgnore
    public Pt foot() {
        return new Pt(x, y + h / 2);
    }

    @JsonIgnore
    public boolean confirmed() {
        return state == State.CONFIRMED;
    }

    private static double sq(double v) {
        return v * v;
    }
}
