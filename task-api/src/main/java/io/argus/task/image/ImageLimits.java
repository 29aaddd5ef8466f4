package io.argus.task.image;

import io.argus.protocol.ProtocolConstants;

/**
 * Size limits applied to every image before decoding.
 *
 * @param maxPixels    width x height limit (default 40 megapixels: a 60000x60000 "bomb" claims 3.6 gigapixels)
 * @param maxDimension limit on either side (default 16384)
 */
public record ImageLimits(long maxPixels, int maxDimension) {
    public static final ImageLimits DEFAULT =
            new ImageLimits(ProtocolConstants.DEFAULT_MAX_PIXELS, ProtocolConstants.DEFAULT_MAX_DIMENSION);
}
