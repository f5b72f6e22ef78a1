package dev.strata.disk.boot;

import dev.strata.disk.build.HostTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A QEMU x86_64 virtual machine booting one disk image with OVMF (UEFI), headless, its serial
 * console on the process's stdin/stdout. The disk is opened with {@code snapshot=on}, so booting
 * never changes the image. Acceleration is KVM when asked and usable, else TCG (pure emulation).
 *
 * <pre>{@code
 * try (QemuMachine vm = QemuMachine.boot(QemuMachine.options(disk, DiskFormat.QCOW2))) {
 *   vm.console().login("alice", "secret", Duration.ofMinutes(4));
 *   vm.console().run("systemctl is-system-running --wait", Duration.ofMinutes(3));
 * }
 * }</pre>
 */
public final class QemuMachine implements AutoCloseable {
  /** How QEMU executes the guest. */
  public enum Accel {
    /** Pure emulation: works everywhere, slow. */
    TCG,
    /** Hardware virtualization through /dev/kvm. */
    KVM,
    /** KVM when /dev/kvm is usable, else TCG. */
    AUTO
  }

  /** What to boot and how. */
  public record Options(
      Path disk, String format, int memoryMiB, int cpus, Accel accel, Path workDir) {
    public Options withAccel(Accel a) {
      return new Options(disk, format, memoryMiB, cpus, a, workDir);
    }

    public Options withMemory(int mib) {
      return new Options(disk, format, mib, cpus, accel, workDir);
    }
  }

  private final Process process;
  private final SerialConsole console;
  private final Path workDir;
  private final List<String> commandLine;
  private final boolean ownsWorkDir;

  private QemuMachine(
      Process process, Path workDir, boolean ownsWorkDir, List<String> commandLine) {
    this.process = process;
    this.ownsWorkDir = ownsWorkDir;
    this.workDir = workDir;
    this.commandLine = List.copyOf(commandLine);
    this.console = new SerialConsole(process.getInputStream(), process.getOutputStream());
  }

  /** 1 GiB, 2 CPUs, TCG unless {@code STRATA_QEMU_ACCEL} (tcg, kvm, auto) says otherwise. */
  public static Options options(Path disk, String format) {
    String env = System.getenv("STRATA_QEMU_ACCEL");
    Accel accel =
        env == null || env.isBlank()
            ? Accel.TCG
            : Accel.valueOf(env.strip().toUpperCase(Locale.ROOT));
    return new Options(disk, format, 1024, 2, accel, null);
  }

  /** Starts the machine. */
  public static QemuMachine boot(Options options) throws IOException {
    Path qemu = requireQemu();
    Firmware firmware = Firmware.ovmf();
    Path work =
        options.workDir() != null
            ? Files.createDirectories(options.workDir())
            : Files.createTempDirectory("strata-qemu-");
    Path vars = work.resolve("OVMF_VARS.fd");
    Files.copy(firmware.varsTemplate(), vars, StandardCopyOption.REPLACE_EXISTING);
    boolean kvm =
        options.accel() == Accel.KVM
            || (options.accel() == Accel.AUTO
                && Files.isReadable(Path.of("/dev/kvm"))
                && Files.isWritable(Path.of("/dev/kvm")));
    List<String> cmd = new ArrayList<>();
    cmd.add(qemu.toString());
    cmd.addAll(
        List.of("-machine", "q35,accel=" + (kvm ? "kvm" : "tcg"), "-cpu", kvm ? "host" : "max"));
    cmd.addAll(
        List.of(
            "-smp", Integer.toString(options.cpus()), "-m", Integer.toString(options.memoryMiB())));
    cmd.addAll(
        List.of("-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + firmware.code()));
    cmd.addAll(List.of("-drive", "if=pflash,format=raw,unit=1,file=" + vars));
    cmd.addAll(
        List.of(
            "-drive",
            "file=" + options.disk() + ",if=virtio,format=" + options.format() + ",snapshot=on"));
    cmd.addAll(List.of("-nic", "none", "-display", "none", "-monitor", "none", "-no-reboot"));
    cmd.addAll(List.of("-chardev", "stdio,id=console,signal=off", "-serial", "chardev:console"));
    ProcessBuilder builder = new ProcessBuilder(cmd);
    builder.redirectError(work.resolve("qemu-stderr.log").toFile());
    return new QemuMachine(builder.start(), work, options.workDir() == null, cmd);
  }

  private static Path requireQemu() throws IOException {
    return HostTool.QEMU_SYSTEM_X86_64.require();
  }

  public SerialConsole console() {
    return console;
  }

  /** The exact QEMU command line, for reports. */
  public List<String> commandLine() {
    return commandLine;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Stops the machine (kill after a grace period) and removes its work folder. */
  @Override
  public void close() throws IOException {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      console.close();
      Files.deleteIfExists(workDir.resolve("OVMF_VARS.fd"));
      Files.deleteIfExists(workDir.resolve("qemu-stderr.log"));
      if (ownsWorkDir) {
        Files.deleteIfExists(workDir);
      }
    }
  }

  /** Waits up to {@code timeout} for the guest to power off; true if it did. */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
