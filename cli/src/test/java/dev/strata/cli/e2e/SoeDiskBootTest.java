package dev.strata.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.disk.boot.QemuMachine;
import dev.strata.disk.boot.SerialConsole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, must-show 1: db-server from examples/soe, made into a qcow2 with a user injected through
 * config.toml, boots under QEMU with OVMF (TCG); the user logs in on the serial console, the system
 * is running (or degraded, naming why) and postgresql is active.
 */
class SoeDiskBootTest {
  @TempDir static Path tmp;

  @Test
  void dbServersQcow2BootsWithPostgresqlActive() throws Exception {
    SoeExample soe = SoeExample.copyTo(tmp.resolve("soe"));
    soe.ensureBuilt();
    Path config = tmp.resolve("config.toml");
    Files.writeString(
        config,
        """
        [[customizations.user]]
        name = "alice"
        password = "correct horse"
        groups = ["sudo"]
        """);
    Path output = tmp.resolve("output");
    SoeExample.Run disk =
        SoeExample.strata(
            "disk",
            "db-server:latest",
            "--type",
            "qcow2",
            "--config",
            config.toString(),
            "--output",
            output.toString());
    assertThat(disk.exitCode()).as(disk.out() + disk.err()).isZero();
    Path qcow2 = output.resolve("qcow2/disk.qcow2");
    assertThat(qcow2).isRegularFile();
    try (QemuMachine vm = QemuMachine.boot(QemuMachine.options(qcow2, "qcow2"))) {
      SerialConsole console = vm.console();
      console.login("alice", "correct horse", Duration.ofMinutes(5));
      String state =
          console.run("systemctl is-system-running --wait", Duration.ofMinutes(4)).output();
      String failed =
          state.equals("running")
              ? ""
              : console
                  .run("systemctl --failed --no-legend --plain", Duration.ofSeconds(30))
                  .output();
      assertThat(state).as("failed units: %s", failed).isIn("running", "degraded");
      if (state.equals("degraded")) {
        assertThat(failed).as("a degraded system names its failed units").isNotBlank();
        assertThat(failed)
            .as("units the disk builder added must not fail")
            .doesNotContain("strata-");
      }
      assertThat(console.run("systemctl is-active postgresql", Duration.ofSeconds(60)).output())
          .isEqualTo("active");
    }
  }
}
