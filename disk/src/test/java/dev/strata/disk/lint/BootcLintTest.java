package dev.strata.disk.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each test starts from a rootfs that follows the whole contract and breaks one rule. */
class BootcLintTest {
  static final Map<String, String> BOOTC = Map.of("containers.bootc", "1");

  @TempDir Path root;

  @BeforeEach
  void compliantRootfs() throws IOException {
    for (String dir : List.of("dev", "proc", "sys", "run", "tmp", "var/lib", "boot", "etc")) {
      Files.createDirectories(root.resolve(dir));
    }
    Files.createSymbolicLink(root.resolve("var/run"), Path.of("../run"));
    write("usr/lib/modules/6.1.0-1-amd64/vmlinuz", "kernel");
    write("usr/lib/modules/6.1.0-1-amd64/initramfs.img", "initramfs");
    write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
    write("etc/group", "root:x:0:\n");
    write("usr/lib/sysusers.d/basic.conf", "# comment\nu root 0 \"Super User\" /root\n");
    write("usr/lib/tmpfiles.d/var.conf", "L /var/run - - - - ../run\nd /var/lib 0755 - - -\n");
  }

  private void write(String rel, String text) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private LintReport lint() throws IOException {
    return BootcLint.lint(root, BOOTC);
  }

  @Test
  void aCompliantRootfsPassesEvenStrict() throws IOException {
    LintReport report = lint();
    assertThat(report.findings()).isEmpty();
    assertThat(report.passes(true)).isTrue();
    assertThat(report.rulesRun()).containsExactlyElementsOf(BootcLint.ruleNames());
  }

  @Test
  void findingsOfSeveralRulesComeInTheOrderTheRulesRun() throws IOException {
    write("usr/lib/modules/6.1.0-2-amd64/vmlinuz", "kernel");
    write("boot/vmlinuz", "stale");
    write("var/log/dpkg.log", "installed\n");
    write("run/leftover", "x");
    write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");

    List<String> rules = lint().findings().stream().map(LintFinding::rule).distinct().toList();

    assertThat(rules).hasSizeGreaterThanOrEqualTo(4);
    assertThat(rules)
        .isEqualTo(BootcLint.ruleNames().stream().filter(rules::contains).toList())
        .contains("kernel", "nonempty-boot", "var-log", "run-content", "sysusers");
  }

  @Test
  void twoKernelsAreFatal() throws IOException {
    write("usr/lib/modules/6.1.0-2-amd64/vmlinuz", "kernel");
    LintReport report = lint();
    assertThat(report.of("kernel"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.FATAL);
              assertThat(f.paths())
                  .containsExactly(
                      "/usr/lib/modules/6.1.0-1-amd64", "/usr/lib/modules/6.1.0-2-amd64");
            });
    assertThat(report.passes(false)).isFalse();
  }

  @Test
  void noKernelIsFatal() throws IOException {
    Files.delete(root.resolve("usr/lib/modules/6.1.0-1-amd64/vmlinuz"));
    Files.delete(root.resolve("usr/lib/modules/6.1.0-1-amd64/initramfs.img"));
    Files.delete(root.resolve("usr/lib/modules/6.1.0-1-amd64"));
    assertThat(lint().of("kernel"))
        .singleElement()
        .extracting(LintFinding::message)
        .asString()
        .startsWith("no kernel");
  }

  @Test
  void aKernelWithoutItsInitramfsIsFatal() throws IOException {
    Files.delete(root.resolve("usr/lib/modules/6.1.0-1-amd64/initramfs.img"));
    LintReport report = lint();
    assertThat(report.of("kernel"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.FATAL);
              assertThat(f.paths()).containsExactly("/usr/lib/modules/6.1.0-1-amd64/initramfs.img");
            });
  }

  @Test
  void aKernelLeftInBootOnlyIsFatal() throws IOException {
    Files.delete(root.resolve("usr/lib/modules/6.1.0-1-amd64/vmlinuz"));
    write("boot/vmlinuz-6.1.0-1-amd64", "kernel");
    LintReport report = lint();
    assertThat(report.of("kernel"))
        .singleElement()
        .extracting(LintFinding::message)
        .asString()
        .contains("has no vmlinuz");
    assertThat(report.of("nonempty-boot")).hasSize(1);
  }

  @Test
  void usrEtcIsFatal() throws IOException {
    write("usr/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    LintReport report = lint();
    assertThat(report.of("etc-usretc"))
        .singleElement()
        .extracting(LintFinding::severity)
        .isEqualTo(Severity.FATAL);
    assertThat(report.passes(false)).isFalse();
  }

  @Test
  void contentInBootIsAWarningThatOnlyStrictFails() throws IOException {
    write("boot/initrd.img-6.1.0-1-amd64", "x");
    LintReport report = lint();
    assertThat(report.of("nonempty-boot"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.paths()).containsExactly("/boot/initrd.img-6.1.0-1-amd64");
            });
    assertThat(report.passes(false)).isTrue();
    assertThat(report.passes(true)).isFalse();
  }

  @Test
  void varContentWithoutTmpfilesIsReportedAtItsTopmostPath() throws IOException {
    write("var/lib/app/state/db", "x");
    write("var/cache/thing", "x");
    LintReport report = lint();
    assertThat(report.of("var-tmpfiles"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.paths()).containsExactly("/var/cache", "/var/lib/app");
            });
  }

  @Test
  void varContentDeclaredInTmpfilesIsNotReported() throws IOException {
    write("var/lib/app/.keep", "");
    Files.delete(root.resolve("var/lib/app/.keep"));
    write("etc/tmpfiles.d/app.conf", "d /var/lib/app 0750 root root -\n");
    assertThat(lint().of("var-tmpfiles")).isEmpty();
  }

  @Test
  void logFilesFromTheBuildAreReported() throws IOException {
    write("usr/lib/tmpfiles.d/log.conf", "d /var/log 0755 - - -\n");
    write("var/log/apt/history.log", "Start-Date: …\n");
    write("var/log/empty.log", "");
    assertThat(lint().of("var-log"))
        .singleElement()
        .extracting(LintFinding::paths)
        .asList()
        .containsExactly("/var/log/apt/history.log");
  }

  @Test
  void contentInRunIsReported() throws IOException {
    write("run/app.pid", "1");
    assertThat(lint().of("run-content"))
        .singleElement()
        .extracting(LintFinding::paths)
        .asList()
        .containsExactly("/run/app.pid");
  }

  @Test
  void aMissingOrWrongBootcLabelIsAWarning() throws IOException {
    assertThat(BootcLint.lint(root, Map.of()).of("bootc-label"))
        .singleElement()
        .extracting(LintFinding::severity)
        .isEqualTo(Severity.WARNING);
    assertThat(BootcLint.lint(root, Map.of("containers.bootc", "true")).of("bootc-label"))
        .singleElement()
        .extracting(LintFinding::message)
        .asString()
        .contains("it is 'true'");
  }

  @Test
  void usersAndGroupsWithoutSysusersAreNamed() throws IOException {
    write(
        "etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\npostgres:x:105:110::/var/lib/postgresql:/bin/bash\n");
    write("etc/group", "root:x:0:\npostgres:x:110:\nssl-cert:x:111:postgres\n");
    List<LintFinding> findings = lint().of("sysusers");
    assertThat(findings)
        .extracting(LintFinding::message)
        .satisfiesExactly(
            users ->
                assertThat(users).contains("1 users").contains("postgres").doesNotContain("root"),
            groups -> assertThat(groups).contains("2 groups").contains("postgres, ssl-cert"));
  }

  @Test
  void sysusersInEtcCoverUsersToo() throws IOException {
    write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:990:990::/:/sbin/nologin\n");
    write("etc/group", "root:x:0:\napp:x:990:\n");
    write("etc/sysusers.d/app.conf", "u app - \"App\"\n");
    assertThat(lint().of("sysusers")).isEmpty();
  }

  @Test
  void varRunAsADirectoryIsFatal() throws IOException {
    Files.delete(root.resolve("var/run"));
    Files.createDirectory(root.resolve("var/run"));
    assertThat(lint().of("var-run"))
        .singleElement()
        .extracting(LintFinding::severity)
        .isEqualTo(Severity.FATAL);
  }

  @Test
  void aMissingApiDirectoryIsFatal() throws IOException {
    Files.delete(root.resolve("proc"));
    Files.writeString(root.resolve("proc"), "not a dir");
    assertThat(lint().of("api-base-directories"))
        .singleElement()
        .extracting(LintFinding::paths)
        .asList()
        .containsExactly("/proc");
  }

  @Test
  void kargsThatDoNotParseAreFatal() throws IOException {
    write("usr/lib/bootc/kargs.d/10-console.toml", "kargs = [\"console=ttyS0\"\n");
    assertThat(lint().of("bootc-kargs"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.FATAL);
              assertThat(f.message()).contains("10-console.toml");
            });
  }

  @Test
  void skippedRulesDoNotRunAndUnknownOnesAreRefused() throws IOException {
    write("usr/etc/x", "");
    LintReport report = BootcLint.lint(root, BOOTC, Set.of("etc-usretc"));
    assertThat(report.findings()).isEmpty();
    assertThat(report.rulesRun()).doesNotContain("etc-usretc");
    assertThatThrownBy(() -> BootcLint.lint(root, BOOTC, Set.of("nope")))
        .hasMessageContaining("unknown lint 'nope'");
  }
}
