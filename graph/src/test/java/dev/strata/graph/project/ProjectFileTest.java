package dev.strata.graph.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.dsl.ContainerfileException;
import dev.strata.graph.ProjectFixture;
import java.io.IOException;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** strata.yaml is read strictly, and every error names its line. */
class ProjectFileTest {
  @TempDir Path dir;

  private AbstractThrowableAssert<?, ? extends Throwable> loading(String yaml) {
    new ProjectFixture(dir).write("strata.yaml", yaml);
    return assertThatThrownBy(() -> ProjectLoader.load(dir))
        .isInstanceOf(ContainerfileException.class);
  }

  private static String position(Throwable e) {
    return ((ContainerfileException) e).position().orElseThrow().toString();
  }

  @Test
  void readsEveryField() throws IOException {
    new ProjectFixture(dir)
        .write(
            "strata.yaml",
            """
            registry: localhost:5000/corp
            mirrors: { docker.io: localhost:5000/mirror }
            sign: { key: keys/cosign.key }
            insecure-registries: [localhost:5000]
            images:
              soe:
                containerfile: soe/Containerfile
                context: .
                image: corp/soe
                tags: [latest, "2025.06"]
                aliases: [corp-repo/soe]
                args: { SOE_VERSION: 2025.06, N: 3 }
                target: final
                disk: [qcow2, raw]
            """);
    ProjectConfig config = ProjectLoader.load(dir);
    ImageConfig soe = config.images().get("soe");
    assertThat(config.registry()).contains("localhost:5000/corp");
    assertThat(config.mirrors()).containsEntry("docker.io", "localhost:5000/mirror");
    assertThat(config.signingKey()).contains("keys/cosign.key");
    assertThat(soe.containerfile()).isEqualTo(dir.resolve("soe/Containerfile"));
    assertThat(soe.context()).isEqualTo(dir);
    assertThat(soe.tags()).containsExactly("latest", "2025.06");
    assertThat(soe.args()).containsEntry("SOE_VERSION", "2025.06").containsEntry("N", "3");
    assertThat(soe.target()).contains("final");
    assertThat(soe.disks()).containsExactly("qcow2", "raw");
    assertThat(soe.declaredAt().line()).isEqualTo(6);
  }

  @Test
  void anUnknownTopLevelKeyIsAnErrorAtItsLine() {
    loading("registry: r\nregistri: x\nimages:\n  a: { containerfile: a/Containerfile }\n")
        .hasMessageContaining("unknown key 'registri'")
        .satisfies(e -> assertThat(position(e)).endsWith("strata.yaml:2:1"));
  }

  @Test
  void anUnknownImageKeyIsAnErrorAtItsLine() {
    loading("images:\n  a:\n    containerfile: a/Containerfile\n    tag: [x]\n")
        .hasMessageContaining("unknown key 'tag'")
        .satisfies(e -> assertThat(position(e)).endsWith("strata.yaml:4:5"));
  }

  @Test
  void anUnknownDiskTypeIsAnErrorAtTheItem() {
    loading(
            "images:\n  a:\n    containerfile: a/Containerfile\n    disk:\n      - qcow2\n      - floppy\n")
        .hasMessageContaining("unknown disk type 'floppy'")
        .satisfies(e -> assertThat(position(e)).endsWith("strata.yaml:6:9"));
  }

  @Test
  void aScalarWhereAListBelongsIsAnError() {
    loading("images:\n  a:\n    containerfile: a/Containerfile\n    aliases: corp/a\n")
        .hasMessageContaining("aliases must be a list")
        .satisfies(e -> assertThat(position(e)).endsWith("strata.yaml:4:5"));
  }

  @Test
  void anImageWithoutContainerfileIsAnError() {
    loading("images:\n  a: { image: a }\n")
        .hasMessageContaining("needs containerfile")
        .satisfies(e -> assertThat(position(e)).endsWith("strata.yaml:2:3"));
  }

  @Test
  void anInvalidNodeNameIsAnError() {
    loading("images:\n  Web_Server: { containerfile: w/Containerfile }\n")
        .hasMessageContaining("invalid image name 'Web_Server'")
        .satisfies(e -> assertThat(position(e)).endsWith("strata.yaml:2:3"));
  }

  @Test
  void aDuplicateKeyIsAnError() {
    loading(
            "images:\n  a: { containerfile: a/Containerfile }\n  a: { containerfile: b/Containerfile }\n")
        .hasMessageContaining("Duplicate field 'a'")
        .satisfies(e -> assertThat(position(e)).contains("strata.yaml:3"));
  }

  @Test
  void brokenYamlIsAnErrorWithItsLine() {
    loading("images:\n  a: { containerfile: a/Containerfile\n")
        .hasMessageContaining("invalid YAML")
        .satisfies(e -> assertThat(position(e)).contains("strata.yaml:"));
  }

  @Test
  void compressionIsGzipUnlessStrataYamlSaysZstd() throws IOException {
    new ProjectFixture(dir)
        .write("strata.yaml", "images:\n  a: { containerfile: a/Containerfile }\n");
    assertThat(ProjectLoader.load(dir).compression()).isEqualTo(LayerCompression.GZIP);

    new ProjectFixture(dir)
        .write(
            "strata.yaml", "compression: zstd\nimages:\n  a: { containerfile: a/Containerfile }\n");
    assertThat(ProjectLoader.load(dir).compression()).isEqualTo(LayerCompression.ZSTD);
  }

  @Test
  void anUnknownCompressionIsAnErrorAtItsLine() {
    loading("images:\n  a: { containerfile: a/Containerfile }\ncompression: xz\n")
        .hasMessageContaining("unknown layer compression 'xz' (use gzip or zstd)")
        .satisfies(e -> assertThat(position(e)).endsWith("strata.yaml:3:1"));
  }
}
