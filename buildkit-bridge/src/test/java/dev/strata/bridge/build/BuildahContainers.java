package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * buildah 1.28 as the oracle that reads what Strata stored: containers made from images (an {@code
 * oci:STORE:REF} reference reads Strata's store), in a vfs storage of their own below a folder, all
 * removed by {@link #close()}.
 */
final class BuildahContainers implements AutoCloseable {
  /** A container made from an image, and where its root filesystem is mounted. */
  record Container(String id, Path mount) {}

  private final List<String> buildah;
  private final List<String> made = new ArrayList<>();

  BuildahContainers(Path dir) {
    this.buildah = TestBuilds.buildah(dir);
  }

  /** A new container of {@code image}, mounted. */
  Container open(String image) throws Exception {
    String id = run("from", image).strip();
    made.add(id);
    return new Container(id, Path.of(run("mount", id).strip()));
  }

  /** The diffIDs buildah read for {@code container}'s image. */
  List<String> diffIds(Container container) throws Exception {
    JsonNode inspected =
        new ObjectMapper().readTree(run("inspect", "--type", "container", container.id()));
    List<String> diffIds = new ArrayList<>();
    inspected.path("OCIv1").path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
    return diffIds;
  }

  @Override
  public void close() throws Exception {
    for (String id : made) {
      run("rm", id);
    }
    run("rmi", "--all", "--force");
  }

  private String run(String... args) throws Exception {
    List<String> command = new ArrayList<>(buildah);
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + err).isZero();
    return out;
  }
}
