package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.store.OciLayoutStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage-level rules: SHELL, ONBUILD, RUN without an executor, --platform, --pull=never. */
class StageSemanticsTest {
  @TempDir Path tmp;
  private OciLayoutStore store;

  @BeforeAll
  static void root() {
    TestBuilds.requireRoot();
  }

  @BeforeEach
  void setUp() throws Exception {
    store = TestBuilds.storeWithBase(tmp.resolve("store"), Optional.empty());
  }

  private ImageConfig config(String name, String containerfile) throws Exception {
    Path ctx =
        TestBuilds.context(tmp.resolve("ctx").resolve(name), containerfile, Map.of("f.txt", "f"));
    NodeResult result = TestBuilds.buildOne(store, ctx, Optional.empty());
    return ImageConfig.parse(store.readBlob(result.config()));
  }

  private static List<String> strings(ImageConfig config, String field) {
    return config
        .configField(field)
        .map(
            n -> {
              List<String> out = new java.util.ArrayList<>();
              n.forEach(v -> out.add(v.asText()));
              return out;
            })
        .orElse(List.of());
  }

  @Test
  void shellAppliesToShellFormCmdAndEntrypointAsTheDockerfileReferenceSays() throws Exception {
    ImageConfig config =
        config("shell", "FROM strata-test/busybox:1\nSHELL [\"/bin/sh\", \"-ec\"]\nCMD echo hi\n");
    assertThat(strings(config, "Cmd")).containsExactly("/bin/sh", "-ec", "echo hi");
    assertThat(strings(config, "Shell")).containsExactly("/bin/sh", "-ec");
  }

  @Test
  void onbuildTriggersRunWhenAChildBuildsFromTheImageAndAreNotInherited() throws Exception {
    config(
        "parent",
        "FROM strata-test/busybox:1\nONBUILD COPY f.txt /from-onbuild.txt\nONBUILD ENV TRIGGERED=1\n");
    ImageConfig parent =
        ImageConfig.parse(
            store.readBlob(
                StoredImage.read(
                        store,
                        new ImageLookup(store, ImageFetcher.NONE, PullPolicy.NEVER)
                            .inStore("parent:latest")
                            .orElseThrow(),
                        "parent")
                    .manifest()
                    .config()
                    .digest()));
    assertThat(strings(parent, "OnBuild")).hasSize(2);

    ImageConfig child = config("child", "FROM parent\nLABEL child=yes\n");
    assertThat(strings(child, "Env")).contains("TRIGGERED=1");
    assertThat(child.configField("OnBuild").filter(JsonNode::isArray).filter(n -> !n.isEmpty()))
        .isEmpty();
    assertThat(child.diffIds()).hasSize(parent.diffIds().size() + 1);
  }

  @Test
  void runFailsClearlyWithoutTheRunExecutor() throws Exception {
    Path ctx =
        TestBuilds.context(
            tmp.resolve("ctx/run"), "FROM strata-test/busybox:1\n\nRUN echo hi\n", Map.of());
    assertThatThrownBy(() -> TestBuilds.buildOne(store, ctx, Optional.empty()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("Containerfile:3: RUN needs the RUN executor");
  }

  @Test
  void aPlatformOtherThanLinuxAmd64IsRefused() throws Exception {
    Path ctx =
        TestBuilds.context(
            tmp.resolve("ctx/arm"),
            "FROM --platform=linux/arm64 strata-test/busybox:1\n",
            Map.of());
    assertThatThrownBy(() -> TestBuilds.buildOne(store, ctx, Optional.empty()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("--platform=linux/arm64 is not supported");
  }

  @Test
  void aBaseMissingFromTheStoreNamesTheWayOut() throws Exception {
    Path ctx =
        TestBuilds.context(
            tmp.resolve("ctx/missing"), "FROM docker.io/library/debian:bookworm\n", Map.of());
    assertThatThrownBy(() -> TestBuilds.buildOne(store, ctx, Optional.empty()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("Containerfile:1:")
        .hasMessageContaining("strata import ROOTFS.tar docker.io/library/debian:bookworm");
  }
}
