package dev.strata.dsl.ignore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.dsl.ContainerfileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which ignore file a build reads (podman/buildah's precedence). */
class IgnoreFileSelectionTest {

  @TempDir Path context;

  private Path write(String name, String content) throws IOException {
    Path file = context.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  @Test
  void noIgnoreFileMeansNoRules() throws IOException {
    IgnoreRules rules = IgnoreRules.forContext(context, Path.of("Containerfile"));

    assertThat(rules.source()).isEmpty();
    assertThat(rules.patterns()).isEmpty();
  }

  @Test
  void dockerignoreInTheContextRootIsRead() throws IOException {
    Path dockerignore = write(".dockerignore", "*.log\n");

    IgnoreRules rules = IgnoreRules.forContext(context, Path.of("Dockerfile"));

    assertThat(rules.source()).contains(dockerignore);
    assertThat(rules.excludes("a.log")).isTrue();
  }

  @Test
  void containerignoreIsPreferredOverDockerignore() throws IOException {
    Path containerignore = write(".containerignore", "from-containerignore\n");
    write(".dockerignore", "from-dockerignore\n");

    IgnoreRules rules = IgnoreRules.forContext(context, Path.of("Containerfile"));

    assertThat(rules.source()).contains(containerignore);
  }

  @Test
  void perContainerfileIgnoreIsPreferredOverTheContextRoot() throws IOException {
    write(".containerignore", "root\n");
    Path beside = write("images/web/Containerfile.containerignore", "beside\n");

    IgnoreRules rules = IgnoreRules.forContext(context, Path.of("images/web/Containerfile"));

    assertThat(rules.source()).contains(beside);
  }

  @Test
  void perContainerfileDockerignoreWinsOverPerContainerfileContainerignore() throws IOException {
    write("Containerfile.containerignore", "a\n");
    Path dockerignore = write("Containerfile.dockerignore", "b\n");

    IgnoreRules rules = IgnoreRules.forContext(context, Path.of("Containerfile"));

    assertThat(rules.source()).contains(dockerignore);
  }

  @Test
  void perDockerfileIgnoreIsFoundForAnAbsoluteDockerfileOutsideTheContext(@TempDir Path elsewhere)
      throws IOException {
    write(".dockerignore", "root\n");
    Path dockerfile = Files.writeString(elsewhere.resolve("Dockerfile"), "FROM scratch\n");
    Path beside = Files.writeString(elsewhere.resolve("Dockerfile.dockerignore"), "beside\n");

    IgnoreRules rules = IgnoreRules.forContext(context, dockerfile);

    assertThat(rules.source()).contains(beside);
  }

  @Test
  void ignoreFileForAnotherContainerfileIsNotUsed() throws IOException {
    write("Containerfile.other.containerignore", "other\n");
    Path root = write(".dockerignore", "root\n");

    IgnoreRules rules = IgnoreRules.forContext(context, Path.of("Containerfile"));

    assertThat(rules.source()).contains(root);
  }

  @Test
  void errorsNameTheIgnoreFileRelativeToTheContext() throws IOException {
    write("sub/Containerfile.containerignore", "ok\n[\n");

    assertThatThrownBy(() -> IgnoreRules.forContext(context, Path.of("sub/Containerfile")))
        .isInstanceOf(ContainerfileException.class)
        .hasMessageStartingWith(
            Path.of("sub", "Containerfile.containerignore") + ":2:1: invalid pattern");
  }
}
