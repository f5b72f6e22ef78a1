package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.disk.lint.LintFinding;
import dev.strata.disk.lint.LintReport;
import dev.strata.disk.lint.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lint at the end of a bootc node's build, and the reports it keeps per image digest. */
class BootcCheckTest {
  private static final Map<String, String> BOOTC = Map.of("containers.bootc", "1");
  private static final Digest IMAGE = Digest.sha256("an image");

  @TempDir Path tmp;
  private final List<String> notes = new ArrayList<>();
  private BootcCheck check;
  private RootfsView rootfs;

  @BeforeEach
  void setUp() throws IOException {
    check = new BootcCheck(tmp.resolve("store"), false, (node, line) -> notes.add(line));
    Path root = Files.createDirectories(tmp.resolve("rootfs"));
    Files.createDirectories(root.resolve("var/log"));
    Files.writeString(root.resolve("var/log/dpkg.log"), "installed\n");
    rootfs = RootfsView.ofDirectories(List.of(root));
  }

  private Path kept() {
    return tmp.resolve("store/cache/lint/" + IMAGE.hex() + ".json");
  }

  @Test
  void theReportKeptIsTheJsonOfItsFindings() throws IOException {
    LintReport report = check.check("base", IMAGE, rootfs, BOOTC);

    ObjectMapper json = new ObjectMapper();
    assertThat(report.findings()).isNotEmpty();
    assertThat(json.readTree(kept().toFile())).isEqualTo(json.valueToTree(report.findings()));
  }

  @Test
  void anImageCheckedBeforeIsJudgedByItsKeptReportWithoutItsRootfs() throws IOException {
    LintReport first = check.check("base", IMAGE, rootfs, BOOTC);
    notes.clear();

    LintReport again = check.check("base", IMAGE, null, BOOTC);

    assertThat(check.known(IMAGE)).isTrue();
    assertThat(again.findings()).isEqualTo(first.findings());
    assertThat(notes)
        .last()
        .isEqualTo(
            "lint: "
                + first.findings().size()
                + " finding(s) (image unchanged since its last check)");
  }

  @Test
  void aReportWrittenByJacksonsOwnMappingIsRead() throws IOException {
    List<LintFinding> findings =
        List.of(
            new LintFinding("var-log", Severity.WARNING, "logs", List.of("/var/log/a")),
            new LintFinding("kernel", Severity.FATAL, "no kernel", List.of()));
    Files.createDirectories(kept().getParent());
    new ObjectMapper().writeValue(kept().toFile(), findings);

    assertThat(check.check("base", IMAGE, null, BOOTC).findings()).isEqualTo(findings);
  }

  @Test
  void aKeptReportThatIsNotOneIsAnErrorNamingItsFile() throws IOException {
    Files.createDirectories(kept().getParent());
    Files.writeString(kept(), "[{\"rule\":\"var-log\"}]");

    assertThatThrownBy(() -> check.check("base", IMAGE, null, BOOTC))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unreadable lint report " + kept());
  }
}
