package dev.strata.trust.attachment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageManifest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The .sig/.att manifest: read, append, render like cosign. */
class AttachmentManifestTest {
  // What cosign 2.5 pushed (research/signing.md §1.2).
  private static final String COSIGN_SIG_MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":233,"
          + "\"digest\":\"sha256:ee2dcedb51f71768887a3f3dab175a4a353639d3167a0584dc90b22a4742b067\"},"
          + "\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":241,"
          + "\"digest\":\"sha256:611057ae2c5deada5351d327b3cdb15fb5aa2d8ceaa5de639f1ffa9f2343b3bc\","
          + "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"MEUCICo9TTqZs7e08Ri/nzxdykHl/51nbXHDeI2lFNKyqIjWAiEA2kLR6/eLcqesPzcLvixX3ImMDVVoi1G2OqbD7KVb2ss=\"}}]}";

  private static AttachedBlob blob(String text) {
    return AttachedBlob.of(
        "application/vnd.dev.cosign.simplesigning.v1+json",
        text.getBytes(StandardCharsets.UTF_8),
        Map.of("dev.cosignproject.cosign/signature", "c2ln"));
  }

  @Test
  void theTagIsTheDigestWithADashAndTheKindSuffix() {
    Digest d = Digest.sha256("x");
    assertThat(AttachmentKind.SIGNATURE.tag(d)).isEqualTo("sha256-" + d.hex() + ".sig");
    assertThat(AttachmentKind.ATTESTATION.tag(d)).isEqualTo("sha256-" + d.hex() + ".att");
  }

  @Test
  void aNewLayerIsAppendedAfterAnotherSignersLayer() {
    AttachmentManifest existing =
        AttachmentManifest.parse(COSIGN_SIG_MANIFEST.getBytes(StandardCharsets.UTF_8));
    AttachmentManifest more = existing.with(blob("mine").descriptor());

    assertThat(more.layers()).hasSize(2);
    assertThat(more.layers().get(0)).isEqualTo(existing.layers().get(0));
    assertThat(more.layers().get(0).annotations().get("dev.cosignproject.cosign/signature"))
        .startsWith("MEUCICo9");
  }

  @Test
  void anIdenticalLayerIsNotAddedTwice() {
    AttachmentManifest once = AttachmentManifest.empty().with(blob("a").descriptor());
    assertThat(once.with(blob("a").descriptor())).isSameAs(once);
  }

  @Test
  void theRenderedManifestIsAnOciManifestWhoseConfigListsEveryLayer() {
    AttachmentManifest manifest =
        AttachmentManifest.empty().with(blob("a").descriptor()).with(blob("b").descriptor());
    String config = new String(manifest.config().bytes(), StandardCharsets.UTF_8);
    assertThat(config)
        .isEqualTo(
            "{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":"
                + "[{\"created\":\"0001-01-01T00:00:00Z\"},{\"created\":\"0001-01-01T00:00:00Z\"}],"
                + "\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + blob("a").descriptor().digest()
                + "\",\""
                + blob("b").descriptor().digest()
                + "\"]},\"config\":{}}");
    ImageManifest rendered = ImageManifest.parse(manifest.manifest().bytes());
    assertThat(manifest.manifest().mediaType())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(rendered.config().digest()).isEqualTo(manifest.config().digest());
    assertThat(rendered.layers()).containsExactlyElementsOf(manifest.layers());
  }
}
