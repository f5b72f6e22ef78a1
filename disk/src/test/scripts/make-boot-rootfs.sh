#!/usr/bin/env bash
# Makes the bootable Debian rootfs the disk boot test starts from, laid out as a bootc image:
# kernel and initramfs in /usr/lib/modules/$KVER/{vmlinuz,initramfs.img}, /boot empty. Small on
# purpose: systemd, udev, dbus (so a non-root user can ask systemctl), the kernel with the driver
# trees a virtual machine never loads removed, no documentation. Needs root and the network; the
# setup script runs it once per machine, tests only read the result.
#
#   make-boot-rootfs.sh DIR        # DIR is replaced only when complete (written to DIR.tmp first)
set -euo pipefail

target=${1:?usage: make-boot-rootfs.sh DIR}
if [[ -f $target/.complete ]]; then
  exit 0
fi
sources=/etc/apt/sources.list.d/debian.sources
[[ -f $sources ]] || sources=/etc/apt/sources.list
[[ -f $sources ]] || { echo "make-boot-rootfs: no apt sources on this machine" >&2; exit 1; }

tmp=$target.tmp
rm -rf "$tmp"
mkdir -p "$(dirname "$target")"
mmdebstrap --quiet --variant=apt --mode=root --format=directory \
  --include=linux-image-amd64,systemd,systemd-sysv,udev,dbus,initramfs-tools,zstd,kmod \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" && echo COMPRESS=zstd > "$1/etc/initramfs-tools/conf.d/compress"' \
  --customize-hook='set -e; kver=$(ls "$1/usr/lib/modules");
    for d in gpu media net/wireless net/ethernet infiniband staging bluetooth sound iio isdn hid usb/gadget; do
      rm -rf "$1/usr/lib/modules/$kver/kernel/drivers/$d"; done
    rm -rf "$1/usr/lib/modules/$kver/kernel/sound" "$1/usr/lib/firmware"
    chroot "$1" depmod "$kver"
    chroot "$1" update-initramfs -u -k "$kver"
    mv "$1/boot/vmlinuz-$kver" "$1/usr/lib/modules/$kver/vmlinuz"
    mv "$1/boot/initrd.img-$kver" "$1/usr/lib/modules/$kver/initramfs.img"
    rm -rf "$1"/boot/* "$1"/vmlinuz* "$1"/initrd.img* "$1"/var/cache/apt/*.bin "$1"/var/lib/apt/lists/*' \
  bookworm "$tmp" "$sources"
touch "$tmp/.complete"
rm -rf "$target"
mv "$tmp" "$target"
