package io.argus.coordinator.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageRequestConfigTest {
    @Test
    void theDefaultIsSixteenAndValuesOutsideTheRangeAreRefusedByName() {
        assertThat(ImageRequestConfig.DEFAULT.maxImages()).isEqualTo(ImageRequestConfig.DEFAULT_MAX_IMAGES).isEqualTo(16);
        assertThat(ImageRequestConfig.builder().maxImages(1).build().maxImages()).isEqualTo(1);
        assertThat(ImageRequestConfig.builder().maxImages(256).build().maxImages()).isEqualTo(256);
        assertThatThrownBy(() -> ImageRequestConfig.builder().maxImages(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxImages = 0");
        assertThatThrownBy(() -> ImageRequestConfig.builder().maxImages(257).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 256]");
    }
}
