package io.argus.coordinator.http;

import io.argus.protocol.util.SettingRange;

/**
 * Bounds of one gateway image request beyond its body size ({@code maxBodyBytes}) and its time
 * ({@code imageTimeoutMs}). Immutable; build one with {@link #builder()}; every setting is
 * range-checked, a value outside its range is an error.
 *
 * @param maxImages images in one request (JSON {@code images: [...]}); default
 *                  {@link #DEFAULT_MAX_IMAGES}; 1 to 256. More are answered 413 {@code TOO_LARGE}.
 */
public record ImageRequestConfig(int maxImages) {
    /**
     * 16 images: a camera wall of 16 tiles (the mosaic's 4x4 grid) in one request. Each image is a
     * frame the agent decodes and runs every task on, one after the other within the request's
     * deadline, so the count multiplies the request's CPU time.
     */
    public static final int DEFAULT_MAX_IMAGES = 16;

    public static final ImageRequestConfig DEFAULT = builder().build();

    public ImageRequestConfig {
        SettingRange.check("maxImages", maxImages, 1, 256);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxImages = DEFAULT_MAX_IMAGES;

        /** Images in one request. Default {@link #DEFAULT_MAX_IMAGES} (16); 1 to 256. */
        public Builder maxImages(int v) {
            this.maxImages = v;
            return this;
        }

        public ImageRequestConfig build() {
            return new ImageRequestConfig(maxImages);
        }
    }
}
