package dev.strata.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Docker's normalisation of image references. */
class ImageNameTest {

  @Test
  void aShortNameGoesToDockerHubLibraryWithTagLatest() {
    assertThat(ImageName.parse("debian").orElseThrow().canonical())
        .isEqualTo("docker.io/library/debian:latest");
  }

  @Test
  void aFirstComponentWithADotOrPortIsTheRegistry() {
    assertThat(ImageName.parse("localhost:5000/corp/soe:1").orElseThrow().canonical())
        .isEqualTo("localhost:5000/corp/soe:1");
    assertThat(ImageName.parse("quay.io/centos-bootc/centos-bootc:stream9").orElseThrow().domain())
        .isEqualTo("quay.io");
  }

  @Test
  void aDigestKeepsNoDefaultTag() {
    String digest = "sha256:" + "a".repeat(64);
    assertThat(ImageName.parse("debian@" + digest).orElseThrow().canonical())
        .isEqualTo("docker.io/library/debian@" + digest);
  }

  @Test
  void upperCaseOrEmptyNamesAreNotImageReferences() {
    assertThat(ImageName.parse("Debian")).isEmpty();
    assertThat(ImageName.parse("")).isEmpty();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "docker.io/library/debian:bookworm, debian:bookworm",
    "debian, debian",
    "corp/soe:latest, corp/soe",
    "localhost:5000/corp/soe:1.0, localhost:5000/corp/soe:1.0",
    "quay.io/centos-bootc/centos-bootc:stream9, quay.io/centos-bootc/centos-bootc:stream9"
  })
  void familiarFormIsWhatBuildKitMatchesNamedContextsBy(String reference, String familiar) {
    assertThat(ImageName.parse(reference).orElseThrow().familiar()).isEqualTo(familiar);
  }
}
