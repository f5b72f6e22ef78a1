/**
 * An image's installed packages, read from its own package database: {@link
 * dev.strata.packages.DpkgStatusReader} for dpkg's status file, {@link
 * dev.strata.packages.RpmDatabaseReader} for rpm's SQLite database, and the version orders of each
 * ({@link dev.strata.packages.DpkgVersion}, {@link dev.strata.packages.RpmVersion}). One place for
 * both the SBOMs of trust and the inventories of catalog, which may not depend on each other.
 */
package dev.strata.packages;
