package dev.strata.bridge.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.graph.ImageName;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MirrorsTest {
  private static ImageName name(String text) {
    return ImageName.parse(text).orElseThrow();
  }

  @Test
  void aMirroredRegistryIsLookedForUnderTheMirrorPrefixFirst() {
    Mirrors mirrors = new Mirrors(Map.of("docker.io", "localhost:5000/mirror/"));

    assertThat(mirrors.candidates(name("debian:bookworm")))
        .extracting(ImageName::canonical)
        .containsExactly(
            "localhost:5000/mirror/library/debian:bookworm", "docker.io/library/debian:bookworm");
  }

  @Test
  void aMirrorWithoutPrefixKeepsThePathAndADigestStaysPinned() {
    Mirrors mirrors = new Mirrors(Map.of("quay.io", "mirror.corp"));
    String digest = "sha256:" + "a".repeat(64);

    assertThat(mirrors.candidates(name("quay.io/centos-bootc/centos-bootc@" + digest)).get(0))
        .isEqualTo(name("mirror.corp/centos-bootc/centos-bootc@" + digest));
  }

  @Test
  void anUnmirroredRegistryIsOnlyItself() {
    assertThat(new Mirrors(Map.of("docker.io", "m.corp")).candidates(name("quay.io/a/b:1")))
        .containsExactly(name("quay.io/a/b:1"));
  }
}
