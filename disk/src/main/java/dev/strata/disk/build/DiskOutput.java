package dev.strata.disk.build;

import java.nio.file.Path;

/** One file a disk build wrote: its type(s) path, size in bytes and SHA-256. */
public record DiskOutput(DiskType type, Path file, long size, String sha256) {}
