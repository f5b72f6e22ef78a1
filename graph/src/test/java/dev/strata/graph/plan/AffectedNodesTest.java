package dev.strata.graph.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.dsl.ContainerfileException;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.ProjectFixture;
import dev.strata.graph.project.ProjectLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --since REV} over a real temporary git repository. */
class AffectedNodesTest {
  @TempDir Path dir;
  private ProjectFixture p;

  @BeforeEach
  void committedProject() throws Exception {
    p = new ProjectFixture(dir);
    p.write(
        "strata.yaml",
        """
        images:
          base: { containerfile: base/Containerfile, aliases: [corp/base] }
          soe: { containerfile: soe/Containerfile, aliases: [corp/soe] }
          db: { containerfile: db/Containerfile }
          web: { containerfile: web/Containerfile }
        """);
    p.write("base/Containerfile", "FROM debian\n");
    p.write("soe/Containerfile", "FROM corp/base\nCOPY files/ /etc/\n");
    p.write("soe/files/motd", "hi\n");
    p.write("soe/README", "not copied\n");
    p.write("db/Containerfile", "FROM corp/soe\n");
    p.write("web/Containerfile", "FROM corp/soe\nCOPY nginx.conf /etc/nginx/nginx.conf\n");
    p.write("web/nginx.conf", "events {}\n");
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
  }

  private void git(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }

  private List<AffectedNodes.Affected> since(String rev) throws IOException {
    DerivationGraph graph = GraphBuilder.build(ProjectLoader.load(dir));
    var keys = CacheKeys.compute(graph, ref -> "unpinned");
    return AffectedNodes.since(graph, keys, rev);
  }

  @Test
  void nothingChangedAffectsNothing() throws IOException {
    assertThat(since("HEAD")).isEmpty();
  }

  @Test
  void aChangedContainerfileAffectsItsNodeAndEverythingBelow() throws IOException {
    p.write("soe/Containerfile", "FROM corp/base\nCOPY files/ /etc/\nRUN true\n");

    List<AffectedNodes.Affected> affected = since("HEAD");
    assertThat(affected)
        .extracting(AffectedNodes.Affected::node)
        .containsExactly("soe", "db", "web");
    assertThat(affected.get(0).reasons())
        .singleElement()
        .asString()
        .startsWith("Containerfile changed");
    assertThat(affected.get(1).reasons()).containsExactly("reads affected node soe");
  }

  @Test
  void aChangedFileUnderACopyAffectsThatNodeOnly() throws Exception {
    p.write("web/nginx.conf", "events { }\n");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-am", "two");

    List<AffectedNodes.Affected> affected = since("HEAD~1");
    assertThat(affected).extracting(AffectedNodes.Affected::node).containsExactly("web");
    assertThat(affected.get(0).reasons())
        .containsExactly(
            "changed file under step 2 (COPY nginx.conf /etc/nginx/nginx.conf): nginx.conf");
  }

  @Test
  void aChangedFileNoCopySelectsAffectsNothing() throws IOException {
    p.write("soe/README", "still not copied\n");

    assertThat(since("HEAD")).isEmpty();
  }

  @Test
  void aNewUntrackedFileUnderACopiedFolderCounts() throws IOException {
    p.write("soe/files/issue", "corp\n");

    assertThat(since("HEAD"))
        .extracting(AffectedNodes.Affected::node)
        .containsExactly("soe", "db", "web");
  }

  @Test
  void aChangedStrataYamlEntryAffectsOnlyThatNode() throws IOException {
    p.write(
        "strata.yaml",
        """
        images:
          base: { containerfile: base/Containerfile, aliases: [corp/base] }
          soe: { containerfile: soe/Containerfile, aliases: [corp/soe] }
          db: { containerfile: db/Containerfile, disk: [qcow2] }
          web: { containerfile: web/Containerfile }
        """);

    List<AffectedNodes.Affected> affected = since("HEAD");
    assertThat(affected).extracting(AffectedNodes.Affected::node).containsExactly("db");
    assertThat(affected.get(0).reasons()).containsExactly("strata.yaml entry changed: images.db");
  }

  @Test
  void aDeletedFileACopySelectedAffectsThatNode() throws IOException {
    java.nio.file.Files.delete(dir.resolve("web/nginx.conf"));

    List<AffectedNodes.Affected> affected = since("HEAD");
    assertThat(affected).extracting(AffectedNodes.Affected::node).containsExactly("web");
    assertThat(affected.get(0).reasons())
        .contains("deleted file under step 2 (COPY nginx.conf /etc/nginx/nginx.conf): nginx.conf");
  }

  @Test
  void aDeletedFileNoCopySelectedAffectsNothing() throws IOException {
    java.nio.file.Files.delete(dir.resolve("soe/README"));

    assertThat(since("HEAD")).isEmpty();
  }

  @Test
  void aRepinnedBaseInStrataLockAffectsTheNodesOnItAndBelow() throws Exception {
    p.write(
        "strata.lock",
        "bases:\n  docker.io/library/debian:latest: sha256:" + "1".repeat(64) + "\n");
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "pin");
    p.write(
        "strata.lock",
        "bases:\n  docker.io/library/debian:latest: sha256:" + "2".repeat(64) + "\n");

    List<AffectedNodes.Affected> affected = since("HEAD");
    assertThat(affected)
        .extracting(AffectedNodes.Affected::node)
        .containsExactly("base", "soe", "db", "web");
    assertThat(affected.get(0).reasons())
        .singleElement()
        .asString()
        .startsWith("base docker.io/library/debian:latest re-pinned in strata.lock: sha256:1111");
  }

  @Test
  void anUnknownRevisionIsAnInputError() {
    assertThatThrownBy(() -> since("no-such-rev"))
        .isInstanceOf(ContainerfileException.class)
        .hasMessageContaining("--since no-such-rev: not a revision");
  }
}
