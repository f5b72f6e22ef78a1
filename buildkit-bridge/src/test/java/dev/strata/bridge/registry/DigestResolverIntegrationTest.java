package dev.strata.bridge.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.ImageIndex;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.ImageName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a tag names on a real registry now, without pulling: the manifest digest, which moves when
 * another image is pushed under the tag; the linux/amd64 entry of an index (with the index's
 * digest); mirrors first; nothing for a tag or repository the registry lacks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DigestResolverIntegrationTest {
  @TempDir Path tmp;
  private TestRegistry registry;
  private RegistryConnector connector;

  @BeforeAll
  void start() throws Exception {
    registry = TestRegistry.start(Files.createTempDirectory("strata-digest-it-"), false);
    connector =
        new RegistryConnector(
            Set.of(registry.host()),
            CredentialFiles.of(List.of()),
            new RetryPolicy(2, Duration.ofMillis(100)));
  }

  @AfterAll
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private Descriptor push(String seed, String remote) throws Exception {
    OciLayoutStore store = OciLayoutStore.open(tmp.resolve("store-" + seed));
    Descriptor image = TestImages.image(store, tmp, "local/" + seed + ":1", seed);
    try (ImageTransfer transfer = new ImageTransfer(store, connector, Mirrors.NONE, e -> {})) {
      transfer.push("local/" + seed + ":1", name(remote));
    }
    return image;
  }

  private static ImageName name(String reference) {
    return ImageName.parse(reference).orElseThrow();
  }

  private Optional<RemoteDigest> resolve(String reference, Mirrors mirrors) throws Exception {
    try (DigestResolver resolver = new DigestResolver(connector, mirrors)) {
      return resolver.resolve(name(reference), Platform.LINUX_AMD64);
    }
  }

  @Test
  void aTagResolvesToItsManifestDigestAndMovesWhenANewImageIsPushedUnderIt() throws Exception {
    String tag = registry.host() + "/corp/base:1";
    Descriptor first = push("base-one", tag);

    RemoteDigest before = resolve(tag, Mirrors.NONE).orElseThrow();
    Descriptor second = push("base-two", tag);
    RemoteDigest after = resolve(tag, Mirrors.NONE).orElseThrow();

    assertThat(before.manifest()).isEqualTo(first.digest());
    assertThat(before.index()).isEmpty();
    assertThat(before.source()).isEqualTo(name(tag));
    assertThat(after.manifest()).isEqualTo(second.digest()).isNotEqualTo(first.digest());
  }

  @Test
  void aMultiPlatformIndexResolvesToItsLinuxAmd64EntryAndNamesTheIndex() throws Exception {
    Descriptor amd64 = push("multi-amd64", registry.host() + "/corp/multi:amd64");
    Descriptor arm64 = push("multi-arm64", registry.host() + "/corp/multi:arm64");
    ContentBlob index =
        new ImageIndex(
                List.of(
                    arm64.withPlatform(new Platform("arm64", "linux", "v8", null)),
                    amd64.withPlatform(Platform.LINUX_AMD64)),
                Map.of())
            .render();
    try (Registry r = connector.connect(registry.host())) {
      r.pushManifest("corp/multi", "1", index);
    }

    RemoteDigest resolved = resolve(registry.host() + "/corp/multi:1", Mirrors.NONE).orElseThrow();

    assertThat(resolved.manifest()).isEqualTo(amd64.digest());
    assertThat(resolved.index()).contains(index.digest());
  }

  @Test
  void aMirrorIsAskedFirst() throws Exception {
    Descriptor mirrored = push("mirrored", registry.host() + "/mirror/library/debian:bookworm");
    Mirrors mirrors = new Mirrors(Map.of("docker.io", registry.host() + "/mirror"));

    RemoteDigest resolved = resolve("debian:bookworm", mirrors).orElseThrow();

    assertThat(resolved.manifest()).isEqualTo(mirrored.digest());
    assertThat(resolved.source().canonical())
        .isEqualTo(registry.host() + "/mirror/library/debian:bookworm");
    assertThat(resolved.reference().canonical()).isEqualTo("docker.io/library/debian:bookworm");
  }

  @Test
  void aTagOrRepositoryTheRegistryLacksResolvesToNothing() throws Exception {
    push("present", registry.host() + "/corp/present:1");

    assertThat(resolve(registry.host() + "/corp/present:2", Mirrors.NONE)).isEmpty();
    assertThat(resolve(registry.host() + "/corp/absent:1", Mirrors.NONE)).isEmpty();
  }
}
