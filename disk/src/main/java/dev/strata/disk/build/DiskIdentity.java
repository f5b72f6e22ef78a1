package dev.strata.disk.build;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The identifiers one disk image gets, fresh for each image so two disks attached to one machine
 * never collide: the GPT disk GUID, the ESP and root partition GUIDs, the ext4 UUID and the FAT
 * volume id (shown as {@code XXXX-XXXX}).
 */
public record DiskIdentity(
    UUID diskGuid, UUID espPartUuid, UUID rootPartUuid, UUID rootFsUuid, String espVolumeId) {

  /** New random identifiers. */
  public static DiskIdentity random() {
    byte[] vol = new byte[4];
    new SecureRandom().nextBytes(vol);
    return new DiskIdentity(
        UUID.randomUUID(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        HexFormat.of().withUpperCase().formatHex(vol));
  }

  /** The FAT volume id as fstab's {@code UUID=} and blkid write it. */
  public String espVolumeUuid() {
    return espVolumeId.substring(0, 4) + "-" + espVolumeId.substring(4);
  }
}
