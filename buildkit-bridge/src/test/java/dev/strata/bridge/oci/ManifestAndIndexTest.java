package dev.strata.bridge.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestAndIndexTest {
  static final Descriptor CONFIG =
      new Descriptor(MediaTypes.IMAGE_CONFIG, Digest.sha256("config"), 6, null, Map.of());
  static final Descriptor LAYER =
      new Descriptor(MediaTypes.LAYER_GZIP, Digest.sha256("layer"), 5, null, Map.of());

  @Test
  void manifestRoundTripsWithAnnotations() {
    ImageManifest manifest =
        new ImageManifest(
            CONFIG, List.of(LAYER), Map.of("org.opencontainers.image.created", "2024"));

    ContentBlob blob = manifest.render();

    assertThat(ImageManifest.parse(blob.bytes())).isEqualTo(manifest);
    assertThat(new String(blob.bytes(), StandardCharsets.UTF_8))
        .contains("\"schemaVersion\":2", "\"mediaType\":\"" + MediaTypes.IMAGE_MANIFEST + "\"");
    assertThat(blob.mediaType()).isEqualTo(MediaTypes.IMAGE_MANIFEST);
  }

  @Test
  void indexKeepsPlatformVariantAndRefNames() {
    Descriptor m =
        new Descriptor(MediaTypes.IMAGE_MANIFEST, Digest.sha256("m"), 1, null, Map.of())
            .withPlatform(new Platform("arm64", "linux", "v8", null))
            .withAnnotation("org.opencontainers.image.ref.name", "corp/base:latest");
    ImageIndex index = new ImageIndex(List.of(m), Map.of());

    assertThat(ImageIndex.parse(index.render().bytes())).isEqualTo(index);
  }

  @Test
  void digestsRejectOtherAlgorithmsAndBadHex() {
    assertThatThrownBy(() -> Digest.parse("md5:abc")).hasMessageContaining("algorithm");
    assertThatThrownBy(() -> Digest.parse("sha256:XYZ")).hasMessageContaining("hex");
  }
}
