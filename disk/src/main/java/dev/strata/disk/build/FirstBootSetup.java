package dev.strata.disk.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What makes one disk image a fresh machine rather than a copy of the build container: an empty
 * {@code /etc/machine-id} (systemd generates one at first boot), no SSH host keys (a unit
 * regenerates them before sshd starts), and an {@code /etc/fstab} naming this disk's partitions.
 */
final class FirstBootSetup {
  static final String HOST_KEYS_UNIT = "strata-ssh-host-keys.service";

  private FirstBootSetup() {}

  static void apply(RootfsEdits stage, DiskIdentity ids) throws IOException {
    stage.write("/etc/machine-id", new byte[0], 0444, 0, 0);
    Optional<Path> dbusId = stage.source("/var/lib/dbus/machine-id");
    if (dbusId.isPresent() && Files.isRegularFile(dbusId.get(), LinkOption.NOFOLLOW_LINKS)) {
      stage.delete("/var/lib/dbus/machine-id");
    }
    stage.rewrite("/etc/fstab", fstab(ids).getBytes(StandardCharsets.UTF_8));
    stage.mkdir("/boot/efi", 0755, 0, 0);
    regenerateHostKeys(stage);
  }

  static String fstab(DiskIdentity ids) {
    return "# Written by strata disk for this disk image.\n"
        + "PARTUUID="
        + ids.rootPartUuid()
        + "\t/\text4\tdefaults,x-systemd.growfs\t0 1\n"
        + "UUID="
        + ids.espVolumeUuid()
        + "\t/boot/efi\tvfat\tumask=0077,shortname=winnt,nofail\t0 2\n";
  }

  private static void regenerateHostKeys(RootfsEdits stage) throws IOException {
    Optional<Path> ssh = stage.source("/etc/ssh");
    if (ssh.isEmpty() || !Files.isDirectory(ssh.get(), LinkOption.NOFOLLOW_LINKS)) {
      return; // no OpenSSH server in the image: no keys to remove, no unit to make them
    }
    List<String> keys =
        stage.list("/etc/ssh").stream().filter(n -> n.startsWith("ssh_host_")).toList();
    for (String key : keys) {
      stage.delete("/etc/ssh/" + key);
    }
    String unit =
        "[Unit]\n"
            + "Description=Generate SSH host keys missing on this machine (strata disk)\n"
            + "ConditionPathExistsGlob=!/etc/ssh/ssh_host_*_key\n"
            + "Before=ssh.service sshd.service ssh.socket sshd.socket\n"
            + "\n"
            + "[Service]\n"
            + "Type=oneshot\n"
            + "ExecStart=/usr/bin/ssh-keygen -A\n"
            + "\n"
            + "[Install]\n"
            + "WantedBy=multi-user.target\n";
    stage.write(
        "/etc/systemd/system/" + HOST_KEYS_UNIT, unit.getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
    stage.mkdir("/etc/systemd/system/multi-user.target.wants", 0755, 0, 0);
    stage.symlink(
        "/etc/systemd/system/multi-user.target.wants/" + HOST_KEYS_UNIT,
        "/etc/systemd/system/" + HOST_KEYS_UNIT);
  }
}
