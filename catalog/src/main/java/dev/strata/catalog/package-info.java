/**
 * The catalog of builds (issue 7): {@link dev.strata.catalog.Catalog} records each build's {@link
 * dev.strata.catalog.BuildRecord} and package inventory in SQLite ({@code catalog.db} in the
 * store), with package inventories read by {@code dev.strata.packages}; {@code query} resolves
 * references and answers lineage, tree, diff and search; {@code sync} reads a registry into the
 * catalog through {@link dev.strata.catalog.sync.RegistryImageSource}; {@code render} turns answers
 * into text tables.
 */
package dev.strata.catalog;
