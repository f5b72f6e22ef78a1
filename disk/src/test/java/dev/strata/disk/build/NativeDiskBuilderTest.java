package dev.strata.disk.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.disk.config.DiskConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk a native build writes, read back with the tools that own each format and no mount:
 * sgdisk for the GPT, e2fsck and debugfs for the root ext4, fsck.fat and mtools for the ESP,
 * qemu-img for the converted types. The rootfs is small and its kernel fake; booting is {@code
 * DiskBootTest}'s.
 */
class NativeDiskBuilderTest {
  static final String KVER = "6.1.0-99-amd64";
  static final String CONFIG =
      """
      [[customizations.user]]
      name = "alice"
      password = "s3cret"
      key = "ssh-ed25519 AAAAkey alice@example"
      groups = ["sudo"]
      [customizations.kernel]
      append = "quiet"
      """;

  @TempDir Path tmp;
  Path rootfs;

  @BeforeEach
  void rootfs() throws IOException {
    rootfs = tmp.resolve("rootfs");
    for (String d :
        List.of(
            "dev",
            "proc",
            "sys",
            "run",
            "tmp",
            "var/lib/dbus",
            "boot",
            "home",
            "usr/bin",
            "etc/ssh")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    write("usr/lib/modules/" + KVER + "/vmlinuz", "fake kernel");
    write("usr/lib/modules/" + KVER + "/initramfs.img", "fake initramfs");
    write("etc/os-release", "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
    write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
    write("etc/shadow", "root:*:19000:0:99999:7:::\n");
    write("etc/group", "root:x:0:\nsudo:x:27:\n");
    write("etc/gshadow", "root:*::\nsudo:*::\n");
    write("etc/fstab", "# UNCONFIGURED FSTAB\n");
    write("etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    write("var/lib/dbus/machine-id", "0123456789abcdef0123456789abcdef\n");
    write("etc/ssh/ssh_host_ed25519_key", "PRIVATE");
    write("etc/ssh/sshd_config", "Port 22\n");
    write("usr/lib/bootc/kargs.d/10-test.toml", "kargs = [\"from.image=1\"]\n");
    write("usr/bin/bash", "");
    Files.createSymbolicLink(rootfs.resolve("bin"), Path.of("usr/bin"));
  }

  private void write(String rel, String text) throws IOException {
    Path p = rootfs.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private DiskResult build(Set<DiskType> types) throws IOException {
    List<String> events = new ArrayList<>();
    DiskRequest request =
        DiskRequest.of(
                rootfs,
                "corp/test:latest",
                types,
                DiskConfig.parse(CONFIG, false, "config.toml"),
                tmp.resolve("output"))
            .withEspBytes(64L << 20);
    DiskResult result = new NativeDiskBuilder(events::add).build(request);
    assertThat(String.join("\n", events)).doesNotContain("s3cret").doesNotContain("AAAAkey");
    return result;
  }

  private static String debugfs(Path raw, DiskResult r, String request)
      throws IOException, InterruptedException {
    return exec("debugfs", "-R", request, raw + "?offset=" + r.layout().rootStart() * 512);
  }

  private static String exec(String... argv) throws IOException, InterruptedException {
    return exec(Map.of(), argv);
  }

  private static String exec(Map<String, String> env, String... argv)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", argv), out).isZero();
    return out;
  }

  @Test
  void writesAGptWithBiosBootEspAndRootPartitions() throws Exception {
    DiskResult r = build(Set.of(DiskType.RAW));
    Path raw = r.output(DiskType.RAW).file();
    assertThat(raw).isEqualTo(tmp.resolve("output/image/disk.raw"));
    String table = exec("sgdisk", "-p", raw.toString());
    assertThat(table)
        .containsPattern("(?m)^\\s+1\\s+2048\\s+4095\\s+1024\\.0 KiB\\s+EF02\\s+BIOS-BOOT$");
    assertThat(table)
        .containsPattern("(?m)^\\s+2\\s+4096\\s+135167\\s+64\\.0 MiB\\s+EF00\\s+EFI-SYSTEM$");
    assertThat(table)
        .containsPattern("(?m)^\\s+3\\s+135168\\s+" + r.layout().rootEnd() + "\\s+.*8304\\s+root$");
    assertThat(exec("sgdisk", "-i", "3", raw.toString()).toUpperCase())
        .contains("PARTITION UNIQUE GUID: " + r.ids().rootPartUuid().toString().toUpperCase());
    assertThat(exec("sgdisk", "-v", raw.toString())).contains("No problems found");
    assertThat(Files.size(raw)).isEqualTo(r.layout().totalBytes());
  }

  @Test
  void theRootFilesystemIsCleanAndCarriesThisDisksIdentityAndUsers() throws Exception {
    DiskResult r = build(Set.of(DiskType.RAW));
    Path raw = r.output(DiskType.RAW).file();
    exec("e2fsck", "-fn", raw + "?offset=" + r.layout().rootStart() * 512);
    assertThat(exec("dumpe2fs", "-h", raw + "?offset=" + r.layout().rootStart() * 512))
        .contains("Filesystem UUID:          " + r.ids().rootFsUuid())
        .contains("Filesystem volume name:   root");
    assertThat(debugfs(raw, r, "cat /etc/fstab"))
        .contains("PARTUUID=" + r.ids().rootPartUuid() + "\t/\text4")
        .contains("UUID=" + r.ids().espVolumeUuid() + "\t/boot/efi\tvfat");
    assertThat(debugfs(raw, r, "stat /etc/machine-id")).contains("Size: 0");
    assertThat(debugfs(raw, r, "ls /var/lib/dbus")).doesNotContain("machine-id");
    assertThat(debugfs(raw, r, "ls /etc/ssh")).doesNotContain("ssh_host_").contains("sshd_config");
    assertThat(debugfs(raw, r, "cat /etc/systemd/system/strata-ssh-host-keys.service"))
        .contains("ExecStart=/usr/bin/ssh-keygen -A");
    assertThat(debugfs(raw, r, "cat /etc/passwd"))
        .contains("alice:x:1000:1000::/home/alice:/bin/bash");
    assertThat(debugfs(raw, r, "cat /etc/group"))
        .contains("sudo:x:27:alice")
        .contains("alice:x:1000:");
    assertThat(debugfs(raw, r, "cat /etc/shadow"))
        .containsPattern("(?m)^alice:\\$6\\$[^:]+:\\d+:0:99999:7:::$");
    assertThat(debugfs(raw, r, "stat /etc/shadow")).contains("Mode:  0640");
    assertThat(debugfs(raw, r, "cat /home/alice/.ssh/authorized_keys"))
        .contains("ssh-ed25519 AAAAkey alice@example");
    assertThat(debugfs(raw, r, "stat /home/alice/.ssh/authorized_keys"))
        .contains("User:  1000   Group:  1000")
        .contains("Mode:  0600");
    assertThat(debugfs(raw, r, "stat /home/alice"))
        .contains("Type: directory")
        .contains("User:  1000   Group:  1000")
        .contains("Mode:  0700");
    assertThat(
            debugfs(
                raw,
                r,
                "stat /etc/systemd/system/multi-user.target.wants/strata-ssh-host-keys.service"))
        .contains("Type: symlink")
        .contains("\"/etc/systemd/system/strata-ssh-host-keys.service\"");
  }

  @Test
  void theEspHoldsSystemdBootTheKernelAndOneEntry() throws Exception {
    DiskResult r = build(Set.of(DiskType.RAW));
    String esp = r.output(DiskType.RAW).file() + "@@" + r.layout().espStart() * 512;
    Map<String, String> env = Map.of("MTOOLS_SKIP_CHECK", "1");
    assertThat(exec(env, "mdir", "-b", "-i", esp, "::/EFI/BOOT")).contains("BOOTX64.EFI");
    assertThat(exec(env, "mdir", "-b", "-i", esp, "::/debian/" + KVER))
        .contains("linux")
        .contains("initrd");
    assertThat(exec(env, "mtype", "-i", esp, "::/debian/" + KVER + "/linux"))
        .isEqualTo("fake kernel");
    assertThat(exec(env, "mtype", "-i", esp, "::/loader/loader.conf"))
        .contains("default debian-" + KVER + ".conf");
    assertThat(exec(env, "mtype", "-i", esp, "::/loader/entries/debian-" + KVER + ".conf"))
        .contains("title Debian GNU/Linux 12 (bookworm)")
        .contains("linux /debian/" + KVER + "/linux")
        .contains("initrd /debian/" + KVER + "/initrd")
        .contains(
            "options root=PARTUUID="
                + r.ids().rootPartUuid()
                + " rw console=tty0 console=ttyS0,115200n8 from.image=1 quiet");
    assertThat(exec(env, "minfo", "-i", esp))
        .contains("serial number: " + r.ids().espVolumeId())
        .contains("label=\"EFI-SYSTEM \"");
  }

  @Test
  void theEspIsACleanFat32ThatFsckFatAccepts() throws Exception {
    DiskResult r = build(Set.of(DiskType.RAW));
    // fsck.fat takes no offset: the partition is copied out
    Path esp = tmp.resolve("esp.img");
    try (var in = java.nio.channels.FileChannel.open(r.output(DiskType.RAW).file());
        var out =
            java.nio.channels.FileChannel.open(
                esp,
                java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
      long from = r.layout().espStart() * 512;
      long length = r.layout().espSectors() * 512;
      for (long done = 0; done < length; ) {
        done += in.transferTo(from + done, length - done, out);
      }
    }
    String fsck = exec("fsck.fat", "-n", "-v", esp.toString());
    assertThat(fsck)
        .contains(r.layout().espStart() + " hidden sectors")
        .contains("512 bytes per cluster")
        .doesNotContainIgnoringCase("dirty")
        .doesNotContain("Leaving filesystem unchanged");
    assertThat(
            exec(Map.of("MTOOLS_SKIP_CHECK", "1"), "mdir", "-/", "-b", "-a", "-i", esp.toString()))
        .contains("::/EFI/BOOT/BOOTX64.EFI")
        .contains("::/EFI/systemd/systemd-bootx64.efi")
        .contains("::/loader/entries/debian-" + KVER + ".conf");
  }

  @Test
  void convertsToEveryTypeWhereBootcImageBuilderPutsThemWithChecksums() throws Exception {
    DiskResult r =
        build(
            new LinkedHashSet<>(
                List.of(DiskType.QCOW2, DiskType.VMDK, DiskType.VHD, DiskType.AMI, DiskType.RAW)));
    Path out = tmp.resolve("output");
    assertThat(exec("qemu-img", "info", out.resolve("qcow2/disk.qcow2").toString()))
        .contains("file format: qcow2");
    assertThat(exec("qemu-img", "info", out.resolve("vmdk/disk.vmdk").toString()))
        .contains("file format: vmdk")
        .contains("streamOptimized");
    // a fixed VHD is the raw disk plus a 512-byte footer that starts with "conectix"
    Path vhd = out.resolve("vpc/disk.vhd");
    assertThat(Files.size(vhd)).isEqualTo(r.layout().totalBytes() + 512);
    try (var in = Files.newInputStream(vhd)) {
      in.skipNBytes(r.layout().totalBytes());
      assertThat(new String(in.readNBytes(8), java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("conectix");
    }
    assertThat(exec("qemu-img", "info", "-f", "vpc", vhd.toString()))
        .contains("(" + r.layout().totalBytes() + " bytes)");
    assertThat(
            exec(
                "qemu-img",
                "compare",
                "-f",
                "raw",
                "-F",
                "qcow2",
                out.resolve("image/disk.raw").toString(),
                out.resolve("qcow2/disk.qcow2").toString()))
        .contains("Images are identical");
    assertThat(r.output(DiskType.AMI).file()).isEqualTo(r.output(DiskType.RAW).file());
    assertThat(Files.readAllLines(out.resolve("SHA256SUMS"))).hasSize(4);
    assertThat(
            new ProcessBuilder("sha256sum", "-c", "--quiet", "SHA256SUMS")
                .directory(out.toFile())
                .start()
                .waitFor())
        .isZero();
    assertThat(Files.readString(r.manifest()))
        .contains("\"rootPartUuid\" : \"" + r.ids().rootPartUuid())
        .contains("qcow2/disk.qcow2")
        .doesNotContain("s3cret");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".strata-disk-"));
    }
  }

  @Test
  void theSourceRootfsIsLeftUntouched() throws Exception {
    build(Set.of(DiskType.RAW));
    assertThat(rootfs.resolve("etc/fstab")).hasContent("# UNCONFIGURED FSTAB");
    assertThat(rootfs.resolve("etc/ssh/ssh_host_ed25519_key")).hasContent("PRIVATE");
    assertThat(rootfs.resolve("etc/machine-id")).hasContent("0123456789abcdef0123456789abcdef");
    assertThat(Files.readString(rootfs.resolve("etc/passwd"))).doesNotContain("alice");
    assertThat(rootfs.resolve("home/alice")).doesNotExist();
  }

  @Test
  void twoDisksFromOneImageGetDifferentIdentifiers() throws Exception {
    DiskResult a = build(Set.of(DiskType.RAW));
    DiskResult b = build(Set.of(DiskType.RAW));
    assertThat(a.ids().rootPartUuid()).isNotEqualTo(b.ids().rootPartUuid());
    assertThat(a.ids().rootFsUuid()).isNotEqualTo(b.ids().rootFsUuid());
    assertThat(a.ids().espVolumeId()).isNotEqualTo(b.ids().espVolumeId());
  }

  @Test
  void aSizeTooSmallForTheContentIsRefusedWithTheLeastThatFits() throws Exception {
    write("usr/share/big", "x".repeat(1 << 20));
    DiskRequest request =
        DiskRequest.of(rootfs, "t", Set.of(DiskType.RAW), DiskConfig.EMPTY, tmp.resolve("o"))
            .withSize(700L << 20);
    assertThatThrownBy(() -> new NativeDiskBuilder(s -> {}).build(request))
        .isInstanceOf(DiskBuildException.class)
        .hasMessageContaining("leaves the root partition less than");
  }

  @Test
  void anExplicitSizeIsTheDiskSize() throws Exception {
    DiskRequest request =
        DiskRequest.of(rootfs, "t", Set.of(DiskType.RAW), DiskConfig.EMPTY, tmp.resolve("o"))
            .withSize(2L << 30);
    DiskResult r = new NativeDiskBuilder(s -> {}).build(request);
    assertThat(Files.size(r.output(DiskType.RAW).file())).isEqualTo(2L << 30);
    assertThat(r.layout().espSectors()).isEqualTo(512L * 2048);
  }

  @Test
  void theImageSizeGivesARootOfTwiceItAndTheChecksumIsSha256sumOfTheDisk() throws Exception {
    DiskRequest request =
        DiskRequest.of(rootfs, "t", Set.of(DiskType.RAW), DiskConfig.EMPTY, tmp.resolve("o"))
            .withEspBytes(64L << 20)
            .withImageBytes(OptionalLong.of(300L << 20));
    DiskResult r = new NativeDiskBuilder(s -> {}).build(request);
    Path raw = r.output(DiskType.RAW).file();
    assertThat(r.layout()).isEqualTo(DiskLayout.forRoot(600L << 20, 64L << 20));
    assertThat(exec("sgdisk", "-v", raw.toString())).contains("No problems found");
    exec("e2fsck", "-fn", raw + "?offset=" + r.layout().rootStart() * 512);
    assertThat(r.output(DiskType.RAW).sha256())
        .isEqualTo(exec("sha256sum", raw.toString()).split(" ")[0]);
  }

  @Test
  void anImageSizeBelowItsFilesIsDisbelievedAndTheDiskFitsTheContent() throws Exception {
    try (var big = new java.io.RandomAccessFile(rootfs.resolve("usr/bin/big").toFile(), "rw")) {
      big.setLength(200L << 20); // sparse: 200 MiB of content to the disk, none on this one
    }
    List<String> events = new ArrayList<>();
    DiskRequest request =
        DiskRequest.of(rootfs, "t", Set.of(DiskType.RAW), DiskConfig.EMPTY, tmp.resolve("o"))
            .withEspBytes(64L << 20)
            .withImageBytes(OptionalLong.of(4L << 20)); // as a wrapped gzip trailer would say
    DiskResult r = new NativeDiskBuilder(events::add).build(request);
    Path raw = r.output(DiskType.RAW).file();
    assertThat(events).anyMatch(e -> e.contains("disk resized to fit"));
    assertThat(r.layout().rootSectors() * 512).isGreaterThanOrEqualTo(400L << 20);
    assertThat(exec("sgdisk", "-v", raw.toString())).contains("No problems found");
    exec("e2fsck", "-fn", raw + "?offset=" + r.layout().rootStart() * 512);
    assertThat(r.output(DiskType.RAW).sha256())
        .isEqualTo(exec("sha256sum", raw.toString()).split(" ")[0]);
  }

  @Test
  void aUserInAGroupTheImageLacksIsRefused() throws Exception {
    DiskConfig config =
        DiskConfig.parse(
            "[[customizations.user]]\nname = \"bob\"\ngroups = [\"wheel\"]\n", false, "c.toml");
    DiskRequest request =
        DiskRequest.of(rootfs, "t", Set.of(DiskType.RAW), config, tmp.resolve("o"));
    assertThatThrownBy(() -> new NativeDiskBuilder(s -> {}).build(request))
        .hasMessageContaining("group 'wheel' does not exist in the image's /etc/group");
  }

  @Test
  void anImageWithoutAKernelIsRefused() throws Exception {
    Files.delete(rootfs.resolve("usr/lib/modules/" + KVER + "/vmlinuz"));
    Files.delete(rootfs.resolve("usr/lib/modules/" + KVER + "/initramfs.img"));
    Files.delete(rootfs.resolve("usr/lib/modules/" + KVER));
    DiskRequest request =
        DiskRequest.of(rootfs, "t", Set.of(DiskType.RAW), DiskConfig.EMPTY, tmp.resolve("o"));
    assertThatThrownBy(() -> new NativeDiskBuilder(s -> {}).build(request))
        .hasMessageContaining("the image has no kernel");
  }

  @Test
  void anImageWithoutSshGetsNoHostKeyUnit() throws Exception {
    Files.delete(rootfs.resolve("etc/ssh/ssh_host_ed25519_key"));
    Files.delete(rootfs.resolve("etc/ssh/sshd_config"));
    Files.delete(rootfs.resolve("etc/ssh"));
    DiskResult r = build(Set.of(DiskType.RAW));
    Path raw = r.output(DiskType.RAW).file();
    assertThat(debugfs(raw, r, "ls /etc/systemd/system"))
        .doesNotContain("strata-ssh-host-keys.service");
  }
}
