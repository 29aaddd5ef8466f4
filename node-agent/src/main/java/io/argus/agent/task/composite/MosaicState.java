package io.argus.agent.task.composite;

import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;

import java.util.LinkedHashMap;
import java.util.Map;

/** The latest picture of every tile of one wall. Native buffers: released when the wall's state goes. */
public final class MosaicState implements AutoCloseable {
    static final class Tile {
        @Nullable Mat image;           // BGR, at most the size of the cell it was last drawn for
        long updatedUs;
        String status = "";
    }

    final Map<String, Tile> tiles = new LinkedHashMap<>();
    long nowUs;
    long requests;

    @Override
    public void close() {
        for (Tile t : tiles.values()) {
            if (t.image != null) {
                t.image.release();
            }
        }
        tiles.clear();
    }
}
