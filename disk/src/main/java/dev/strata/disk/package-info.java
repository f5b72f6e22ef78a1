/**
 * Bootable disk images from bootc images (issue 8). Entry points: {@link
 * dev.strata.disk.build.NativeDiskBuilder} makes qcow2/raw/vmdk/vhd/ami without loop devices or
 * mounts; {@link dev.strata.disk.lint.BootcLint} checks a flattened rootfs against the bootc
 * container contract; {@link dev.strata.disk.bib.BibInvocation} drives bootc-image-builder through
 * podman; {@link dev.strata.disk.kickstart.Kickstart} writes an Anaconda kickstart; {@link
 * dev.strata.disk.boot.QemuMachine} boots a disk and runs commands on its serial console.
 */
package dev.strata.disk;
