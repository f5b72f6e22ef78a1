package dev.strata.disk.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.disk.boot.SerialConsole.CommandResult;
import dev.strata.disk.build.DiskRequest;
import dev.strata.disk.build.DiskResult;
import dev.strata.disk.build.DiskType;
import dev.strata.disk.build.NativeDiskBuilder;
import dev.strata.disk.config.DiskConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds qcow2 and raw natively from a bootable Debian rootfs (made once per machine by
 * scripts/setup-machine.sh with mmdebstrap) and boots both under QEMU + OVMF with TCG: the user
 * from config.toml logs in on the serial console and the system reaches running (or degraded, with
 * the failed units named).
 */
class DiskBootTest {
  static final Path ROOTFS =
      Path.of(System.getProperty("strata.test.bootRootfs", "/var/cache/strata-test/boot-rootfs"));

  @TempDir Path output;

  @Test
  void qcow2AndRawBootAndTheConfiguredUserLogsIn() throws Exception {
    assertThat(ROOTFS.resolve(".complete"))
        .as("the boot test rootfs; make it with: bash scripts/setup-machine.sh")
        .isRegularFile();
    DiskConfig config =
        DiskConfig.parse(
            """
            [[customizations.user]]
            name = "alice"
            password = "correct horse"
            key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7k4X4Vh8t0aUZb2rQ2bN9v3rj1mK0YbQ7m7kqGJXyZ alice@test"
            groups = ["sudo"]

            [customizations.kernel]
            append = "strata.test=1"
            """,
            false,
            "config.toml");
    DiskResult result =
        new NativeDiskBuilder(System.out::println)
            .build(
                DiskRequest.of(
                    ROOTFS,
                    "test/boot-rootfs",
                    new LinkedHashSet<>(List.of(DiskType.QCOW2, DiskType.RAW)),
                    config,
                    output));

    Path qcow2 = result.output(DiskType.QCOW2).file();
    assertThat(qcow2).isEqualTo(output.resolve("qcow2/disk.qcow2"));
    try (QemuMachine vm = QemuMachine.boot(QemuMachine.options(qcow2, "qcow2"))) {
      SerialConsole console = vm.console();
      console.login("alice", "correct horse", Duration.ofMinutes(4));
      assertRunningOrDegraded(console);
      assertThat(console.run("cat /proc/cmdline", Duration.ofSeconds(30)).output())
          .contains("root=PARTUUID=" + result.ids().rootPartUuid())
          .contains("strata.test=1");
      assertThat(console.run("findmnt -no SOURCE,FSTYPE /", Duration.ofSeconds(30)).output())
          .isEqualTo("/dev/vda3 ext4");
      assertThat(console.run("cat /etc/machine-id", Duration.ofSeconds(30)).output())
          .matches("[0-9a-f]{32}");
      assertThat(console.run("id -nG", Duration.ofSeconds(30)).output()).contains("sudo");
      assertThat(console.run("cat ~/.ssh/authorized_keys", Duration.ofSeconds(30)).output())
          .endsWith("alice@test");
    }

    Path raw = result.output(DiskType.RAW).file();
    assertThat(raw).isEqualTo(output.resolve("image/disk.raw"));
    try (QemuMachine vm = QemuMachine.boot(QemuMachine.options(raw, "raw"))) {
      vm.console().login("alice", "correct horse", Duration.ofMinutes(4));
      assertRunningOrDegraded(vm.console());
    }
  }

  private static void assertRunningOrDegraded(SerialConsole console) throws Exception {
    CommandResult state = console.run("systemctl is-system-running --wait", Duration.ofMinutes(3));
    String failed =
        state.output().equals("running")
            ? ""
            : console
                .run("systemctl --failed --no-legend --plain", Duration.ofSeconds(30))
                .output();
    System.out.println(
        "system state: " + state.output() + (failed.isEmpty() ? "" : "; failed units:\n" + failed));
    assertThat(state.output())
        .as("systemctl is-system-running; failed units: %s", failed)
        .isIn("running", "degraded");
    if (state.output().equals("degraded")) {
      assertThat(failed).as("a degraded system names its failed units").isNotBlank();
      assertThat(failed).as("units the disk builder added must not fail").doesNotContain("strata-");
    }
  }
}
