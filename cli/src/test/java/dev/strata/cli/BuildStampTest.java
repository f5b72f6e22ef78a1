package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stamp of a build vouches only for inputs that stat exactly as they did: every kind of change
 * a user can make to a project or its store makes it answer "not up to date".
 */
class BuildStampTest {
  private static final List<String> ARGS = List.of("build", "--store", "s", "proj");
  private static final Map<String, String> ENV = Map.of("HOME", "/root", "LANG", "C.UTF-8");

  @TempDir Path dir;
  private Path project;
  private Path context;
  private Path index;

  @BeforeEach
  void project() throws IOException {
    System.setProperty("strata.up-to-date", dir.resolve("stamps").toString());
    project = Files.createDirectories(dir.resolve("proj"));
    context = Files.createDirectories(project.resolve("app/files/etc"));
    Files.writeString(project.resolve("strata.yaml"), "images:\n  app: {}\n");
    Files.writeString(project.resolve("app/Containerfile"), "FROM scratch\nCOPY files/ /\n");
    Files.writeString(context.resolve("motd"), "hello\n");
    index =
        Files.writeString(
            Files.createDirectories(dir.resolve("store")).resolve("index.json"), "{}");
  }

  @AfterEach
  void clear() {
    System.clearProperty("strata.up-to-date");
  }

  @Test
  void aSettledBuildIsAnsweredFromItsStampWithItsNodes() throws IOException {
    BuildStamp stamp = stamped();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(stamp.answer(new PrintStream(out, true, StandardCharsets.UTF_8))).isTrue();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "[app] reused corp/app:latest sha256:"
                + "a".repeat(64)
                + " (0 steps run, 2 cached, 0.0 s)")
        .contains("[app] lint: 3 finding(s)")
        .contains("up to date: the inputs and the store are as the last build left them")
        .endsWith("built 0, reused 1, failed 0 in 0.0 s\n");
  }

  @Test
  void anEditOfTheSameSizeIsSeen() throws IOException {
    BuildStamp stamp = stamped();
    Files.writeString(context.resolve("motd"), "HELLO\n");
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void anEditWithItsOldModificationTimeRestoredIsSeen() throws IOException {
    BuildStamp stamp = stamped();
    FileTime before = Files.getLastModifiedTime(context.resolve("motd"));
    Files.writeString(context.resolve("motd"), "HELLO\n");
    Files.setLastModifiedTime(context.resolve("motd"), before); // ctime still moves
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void aFileAddedDeepInTheContextIsSeen() throws IOException {
    BuildStamp stamp = stamped();
    Files.writeString(context.resolve("issue"), "new\n");
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void aFileRemovedFromTheContextIsSeen() throws IOException {
    BuildStamp stamp = stamped();
    Files.delete(context.resolve("motd"));
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void aChmodIsSeen() throws IOException {
    BuildStamp stamp = stamped();
    Files.setPosixFilePermissions(
        context.resolve("motd"), PosixFilePermissions.fromString("rwx------"));
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void aLockFileThatAppearsIsSeen() throws IOException {
    BuildStamp stamp = stamped();
    Files.writeString(project.resolve("strata.lock"), "bases: {}\n");
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void anEditedContainerfileIsSeen() throws IOException {
    BuildStamp stamp = stamped();
    Files.writeString(project.resolve("app/Containerfile"), "FROM scratch\nCOPY files/ /etc/\n");
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void aStoreWhoseIndexWasRewrittenIsSeen() throws IOException {
    BuildStamp stamp = stamped();
    Path tmp = Files.writeString(index.resolveSibling("index.json.tmp"), "{}");
    Files.move(tmp, index, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void otherArgumentsOtherFoldersAndOtherEnvironmentsHaveTheirOwnStamps() throws IOException {
    stamped();
    List<String> other = List.of("build", "--store", "s", "--strict", "proj");
    assertThat(BuildStamp.of(other, project, ENV).orElseThrow().answer(quiet())).isFalse();
    assertThat(BuildStamp.of(ARGS, dir, ENV).orElseThrow().answer(quiet())).isFalse();
    Map<String, String> env = Map.of("HOME", "/root", "LANG", "C.UTF-8", "SOURCE_DATE_EPOCH", "1");
    assertThat(BuildStamp.of(ARGS, project, env).orElseThrow().answer(quiet())).isFalse();
    assertThat(BuildStamp.of(ARGS, project, ENV).orElseThrow().answer(quiet())).isTrue();
  }

  @Test
  void anEditBehindASymlinkedContainerfileIsSeen() throws IOException {
    Path shared = Files.writeString(dir.resolve("Containerfile.shared"), "FROM scratch\n");
    Files.delete(project.resolve("app/Containerfile"));
    Files.createSymbolicLink(project.resolve("app/Containerfile"), shared);
    BuildStamp stamp = stamped();
    Files.writeString(shared, "FROM scratch\nLABEL a=b\n");
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void anEditInsideASymlinkedContextIsSeen() throws IOException {
    Path real = Files.createDirectories(dir.resolve("real-context"));
    Files.writeString(real.resolve("motd"), "hello\n");
    Path link = Files.createSymbolicLink(dir.resolve("linked-context"), real);
    BuildStamp stamp = BuildStamp.of(ARGS, project, ENV).orElseThrow();
    assertThat(stamp.write(settled(BuildStamp.Inputs.take(files(), List.of(link))), index, nodes()))
        .isTrue();
    Files.writeString(real.resolve("motd"), "HELLO\n");
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void argumentsReadFromAnAtFileAreNeverVouchedFor() {
    assertThat(BuildStamp.of(List.of("build", "@build.args", "proj"), project, ENV)).isEmpty();
  }

  @Test
  void theCheckIsOffWithStrataUpToDateZero() {
    Map<String, String> env = Map.of("HOME", "/root", "STRATA_UP_TO_DATE", "0");
    assertThat(BuildStamp.of(ARGS, project, env)).isEmpty();
  }

  @Test
  void inputsChangedJustBeforeTheBuildStartedAreNotVouchedFor() throws IOException {
    BuildStamp stamp = BuildStamp.of(ARGS, project, ENV).orElseThrow();
    BuildStamp.Inputs inputs = BuildStamp.Inputs.take(files(), List.of(project.resolve("app")));

    assertThat(inputs.settled()).isFalse(); // written a moment ago
    assertThat(stamp.write(inputs, index, nodes())).isFalse();
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void inputsChangedDuringTheBuildAreNotVouchedFor() throws IOException {
    BuildStamp stamp = BuildStamp.of(ARGS, project, ENV).orElseThrow();
    BuildStamp.Inputs inputs =
        settled(BuildStamp.Inputs.take(files(), List.of(project.resolve("app"))));
    Files.writeString(context.resolve("motd"), "changed while building\n");

    assertThat(stamp.write(inputs, index, nodes())).isFalse();
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void aDamagedStampIsNotBelieved() throws IOException {
    BuildStamp stamp = stamped();
    Path file;
    try (var list = Files.list(dir.resolve("stamps"))) {
      file = list.filter(p -> p.toString().endsWith(".stamp")).findFirst().orElseThrow();
    }
    List<String> lines = Files.readAllLines(file);
    Files.write(file, lines.subList(0, lines.size() - 3));
    Files.writeString(file, "path f x y\n", java.nio.file.StandardOpenOption.APPEND);
    assertThat(answers(stamp)).isFalse();
  }

  @Test
  void forgettingRemovesTheStamp() throws IOException {
    BuildStamp stamp = stamped();
    stamp.forget();
    assertThat(answers(stamp)).isFalse();
  }

  /**
   * A stamp written for the project as it is, by a build that started {@link
   * BuildStamp#SETTLED_MILLIS} after the files were last written (the inputs' stat taken now).
   */
  private BuildStamp stamped() throws IOException {
    BuildStamp stamp = BuildStamp.of(ARGS, project, ENV).orElseThrow();
    BuildStamp.Inputs inputs =
        settled(BuildStamp.Inputs.take(files(), List.of(project.resolve("app"))));
    assertThat(stamp.write(inputs, index, nodes())).isTrue();
    assertThat(answers(stamp)).isTrue();
    return stamp;
  }

  private static BuildStamp.Inputs settled(BuildStamp.Inputs inputs) {
    return new BuildStamp.Inputs(
        inputs.takenAtMillis() + BuildStamp.SETTLED_MILLIS + 1_000, inputs.entries());
  }

  private List<Path> files() {
    return List.of(
        project.resolve("strata.yaml"),
        project.resolve("strata.lock"),
        project.resolve("app/Containerfile"));
  }

  private static List<BuildStamp.NodeState> nodes() {
    return List.of(
        new BuildStamp.NodeState("app", "corp/app:latest", "sha256:" + "a".repeat(64), 2, 3));
  }

  private static boolean answers(BuildStamp stamp) {
    return stamp.answer(quiet());
  }

  private static PrintStream quiet() {
    return new PrintStream(java.io.OutputStream.nullOutputStream());
  }
}
