package dev.strata.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteNativeLibraryTest {
  @TempDir Path store;

  @Test
  void theCatalogLoadsTheDriverLibraryFromTheCacheCopyOfTheJarEntry() throws Exception {
    try (Catalog catalog = Catalog.open(store)) {
      assertThat(catalog.schemaVersion()).isPositive();
    }
    String folder = System.getProperty("org.sqlite.lib.path");
    assertThat(folder).as("org.sqlite.lib.path").isNotNull();
    Path library = Path.of(folder, System.getProperty("org.sqlite.lib.name"));
    byte[] expected;
    try (InputStream in =
        org.sqlite.JDBC.class.getResourceAsStream(
            "/org/sqlite/native/Linux/x86_64/libsqlitejdbc.so")) {
      expected = in.readAllBytes();
    }
    assertThat(Files.readAllBytes(library)).isEqualTo(expected);
  }
}
