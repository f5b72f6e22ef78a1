package dev.strata.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.catalog.schema.SchemaMigrations;
import dev.strata.packages.InstalledPackage;
import dev.strata.packages.PackageFormat;
import dev.strata.packages.PackageInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * The catalog of one store: every build recorded with its lineage, layers, labels, signature state,
 * attestations, disks and package inventory, in {@code catalog.db} (SQLite, WAL) in the store
 * folder.
 *
 * <p>Safe with several writers: each write is one {@code BEGIN IMMEDIATE} transaction, so two
 * processes recording builds of the same node at once get consecutive, distinct build numbers; a
 * writer waits up to {@link #BUSY_TIMEOUT_MS} for another's transaction. One instance is one
 * connection; its methods are synchronized.
 */
public final class Catalog implements AutoCloseable {
  /** The database file's name in the store folder. */
  public static final String FILE_NAME = "catalog.db";

  /** How long a writer waits for another's transaction before failing. */
  public static final int BUSY_TIMEOUT_MS = 30_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP =
      new TypeReference<>() {};
  private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

  private final Path file;
  private final Connection connection;

  private Catalog(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Loads the SQLite driver and its native library, as the first {@link #open} does; a command may
   * call it ahead, on another thread, so that opening the catalog later is quicker.
   */
  public static void loadDriver() throws CatalogException {
    SqliteNativeLibrary.prepare();
    new SQLiteConfig(); // its class initialisation builds date formats
    try {
      org.sqlite.SQLiteJDBCLoader.initialize();
      DriverManager.getDrivers(); // registers the drivers found on the class path
    } catch (Exception e) {
      throw CatalogException.storage("cannot load the SQLite driver: " + e.getMessage(), e);
    }
  }

  /** Opens (creating and migrating as needed) the catalog of the store at {@code storeRoot}. */
  public static Catalog open(Path storeRoot) throws CatalogException {
    return openFile(storeRoot.resolve(FILE_NAME), SchemaMigrations.all());
  }

  /**
   * Opens the database file {@code file}, migrated with {@code migrations} (all of them in
   * production; tests pass fewer to make an old catalog).
   */
  public static Catalog openFile(Path file, SchemaMigrations migrations) throws CatalogException {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw CatalogException.storage(
          "cannot create the store folder for " + file + ": " + e.getMessage(), e);
    }
    SqliteNativeLibrary.prepare();
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    Connection connection = null;
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
      migrations.migrate(connection);
      return new Catalog(file, connection);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw CatalogException.storage("cannot open the catalog " + file + ": " + e.getMessage(), e);
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /** The schema version of the open database. */
  public synchronized int schemaVersion() throws CatalogException {
    try {
      return SchemaMigrations.currentVersion(connection);
    } catch (SQLException e) {
      throw failure("read the schema version", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Recording

  /**
   * Records a build and its package inventory; returns its id, {@code NODE@N} with N one more than
   * the node's last recorded build.
   */
  public BuildId record(BuildRecord build, PackageInventory packages) throws CatalogException {
    return insert(build, packages, "build");
  }

  /** Records a build read from a registry ({@code origin = sync}). */
  public BuildId recordSynced(BuildRecord build, PackageInventory packages)
      throws CatalogException {
    return insert(build, packages, "sync");
  }

  private synchronized BuildId insert(BuildRecord b, PackageInventory packages, String origin)
      throws CatalogException {
    return inTransaction(
        "record build of " + b.node(),
        () -> {
          int number;
          try (PreparedStatement next =
              connection.prepareStatement(
                  "SELECT COALESCE(MAX(number), 0) + 1 FROM builds WHERE node = ?")) {
            next.setString(1, b.node());
            try (ResultSet rs = next.executeQuery()) {
              rs.next();
              number = rs.getInt(1);
            }
          }
          long id;
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO builds (node, number, reference, digest, config_digest, config,"
                      + " parent_node, base_reference, base_digest, containerfile_digest,"
                      + " project_entry, git_commit, build_args, built_at, size, signature_state,"
                      + " signature_reference, signature_key, plan_reasons, engine, origin)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            int i = 1;
            insert.setString(i++, b.node());
            insert.setInt(i++, number);
            insert.setString(i++, b.reference());
            insert.setString(i++, b.digest());
            setOptional(insert, i++, b.configDigest());
            setOptional(insert, i++, b.config());
            setOptional(insert, i++, b.parentNode());
            setOptional(insert, i++, b.baseReference());
            setOptional(insert, i++, b.baseDigest());
            setOptional(insert, i++, b.containerfileDigest());
            setOptional(insert, i++, b.projectEntry());
            setOptional(insert, i++, b.gitCommit());
            insert.setString(i++, json(b.buildArgs()));
            insert.setString(i++, b.builtAt().toString());
            insert.setLong(i++, b.size());
            insert.setString(i++, b.signature().state().id());
            setOptional(insert, i++, b.signature().reference());
            setOptional(insert, i++, b.signature().key());
            insert.setString(i++, json(b.planReasons()));
            setOptional(insert, i++, b.engine());
            insert.setString(i, origin);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
              keys.next();
              id = keys.getLong(1);
            }
          }
          batch(
              "INSERT INTO build_tags (build_id, tag) VALUES (?, ?)",
              b.tags().stream().distinct().toList(),
              (ps, tag) -> {
                ps.setLong(1, id);
                ps.setString(2, tag);
              });
          List<String> parents = b.parentDigests();
          batch(
              "INSERT INTO build_parents (build_id, position, digest) VALUES (?, ?, ?)",
              indices(parents.size()),
              (ps, pos) -> {
                ps.setLong(1, id);
                ps.setInt(2, pos);
                ps.setString(3, parents.get(pos));
              });
          batch(
              "INSERT INTO layers (build_id, position, digest, size, created_by)"
                  + " VALUES (?, ?, ?, ?, ?)",
              indices(b.layers().size()),
              (ps, pos) -> {
                Layer layer = b.layers().get(pos);
                ps.setLong(1, id);
                ps.setInt(2, pos);
                ps.setString(3, layer.digest());
                ps.setLong(4, layer.size());
                ps.setString(5, layer.createdBy());
              });
          batch(
              "INSERT INTO labels (build_id, key, value) VALUES (?, ?, ?)",
              List.copyOf(b.labels().entrySet()),
              (ps, label) -> {
                ps.setLong(1, id);
                ps.setString(2, label.getKey());
                ps.setString(3, label.getValue());
              });
          for (Attestation attestation : b.attestations()) {
            insertAttestation(id, attestation);
          }
          for (DiskImage disk : b.disks()) {
            insertDisk(id, disk);
          }
          batch(
              "INSERT INTO packages (build_id, format, name, epoch, version, release, arch,"
                  + " source, license) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              packages.packages(),
              (ps, p) -> {
                ps.setLong(1, id);
                ps.setString(2, p.format().id());
                ps.setString(3, p.name());
                if (p.epoch().isPresent()) {
                  ps.setInt(4, p.epoch().get());
                } else {
                  ps.setNull(4, Types.INTEGER);
                }
                ps.setString(5, p.version());
                setOptional(ps, 6, p.release());
                ps.setString(7, p.arch());
                setOptional(ps, 8, p.source());
                setOptional(ps, 9, p.license());
              });
          return new BuildId(b.node(), number);
        });
  }

  /** Sets the signature state of a recorded build (after signing, or verifying). */
  public synchronized void updateSignature(BuildId build, Signature signature)
      throws CatalogException {
    inTransaction(
        "update the signature of " + build,
        () -> {
          long id = rowId(build);
          try (PreparedStatement ps =
              connection.prepareStatement(
                  "UPDATE builds SET signature_state = ?, signature_reference = ?,"
                      + " signature_key = ? WHERE id = ?")) {
            ps.setString(1, signature.state().id());
            setOptional(ps, 2, signature.reference());
            setOptional(ps, 3, signature.key());
            ps.setLong(4, id);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** Adds an attestation to a recorded build. */
  public synchronized void addAttestation(BuildId build, Attestation attestation)
      throws CatalogException {
    inTransaction(
        "add an attestation to " + build,
        () -> {
          insertAttestation(rowId(build), attestation);
          return null;
        });
  }

  /** Adds a disk image made from a recorded build. */
  public synchronized void addDisk(BuildId build, DiskImage disk) throws CatalogException {
    inTransaction(
        "add a disk image to " + build,
        () -> {
          insertDisk(rowId(build), disk);
          return null;
        });
  }

  private void insertAttestation(long id, Attestation a) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO attestations (build_id, predicate_type, digest, reference)"
                + " VALUES (?, ?, ?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, a.predicateType());
      setOptional(ps, 3, a.digest());
      setOptional(ps, 4, a.reference());
      ps.executeUpdate();
    }
  }

  private void insertDisk(long id, DiskImage d) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO disks (build_id, type, path, size, digest, made_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, d.type());
      ps.setString(3, d.path());
      ps.setLong(4, d.size());
      setOptional(ps, 5, d.digest());
      ps.setString(6, d.madeAt().toString());
      ps.executeUpdate();
    }
  }

  private long rowId(BuildId build) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT id FROM builds WHERE node = ? AND number = ?")) {
      ps.setString(1, build.node());
      ps.setInt(2, build.number());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no recorded build " + build);
        }
        return rs.getLong(1);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** Every recorded build, in the order they were recorded. */
  public synchronized List<StoredBuild> builds() throws CatalogException {
    try {
      return loadBuilds("", List.of());
    } catch (SQLException e) {
      throw failure("read builds", e);
    }
  }

  /** The builds of {@code node}, oldest first. */
  public synchronized List<StoredBuild> builds(String node) throws CatalogException {
    try {
      return loadBuilds("WHERE b.node = ?", List.of(node));
    } catch (SQLException e) {
      throw failure("read builds of " + node, e);
    }
  }

  /**
   * The last build of {@code node}, if any: what every build compares a node's new result with,
   * read alone rather than with the node's whole history.
   */
  public synchronized Optional<StoredBuild> latestBuild(String node) throws CatalogException {
    try {
      List<StoredBuild> found =
          loadBuilds(
              "WHERE b.node = ? AND b.number = (SELECT MAX(number) FROM builds WHERE node = ?)",
              List.of(node, node));
      return found.stream().findFirst();
    } catch (SQLException e) {
      throw failure("read the last build of " + node, e);
    }
  }

  /**
   * The last recorded build whose image has the manifest digest {@code digest} ({@code sha256:…}),
   * if any: the record a disk made later from that image belongs to.
   */
  public synchronized Optional<StoredBuild> latestBuildOfDigest(String digest)
      throws CatalogException {
    try {
      List<StoredBuild> found =
          loadBuilds("WHERE b.id = (SELECT MAX(id) FROM builds WHERE digest = ?)", List.of(digest));
      return found.stream().findFirst();
    } catch (SQLException e) {
      throw failure("read the last build of " + digest, e);
    }
  }

  /** The build {@code NODE@N}, if recorded. */
  public synchronized Optional<StoredBuild> build(BuildId id) throws CatalogException {
    try {
      List<StoredBuild> found =
          loadBuilds("WHERE b.node = ? AND b.number = ?", List.of(id.node(), id.number()));
      return found.stream().findFirst();
    } catch (SQLException e) {
      throw failure("read build " + id, e);
    }
  }

  /** The package inventory recorded with a build, sorted by name and architecture. */
  public synchronized List<InstalledPackage> packages(BuildId build) throws CatalogException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT p.format, p.name, p.epoch, p.version, p.release, p.arch, p.source, p.license"
                + " FROM packages p JOIN builds b ON b.id = p.build_id"
                + " WHERE b.node = ? AND b.number = ? ORDER BY p.name, p.arch")) {
      ps.setString(1, build.node());
      ps.setInt(2, build.number());
      List<InstalledPackage> packages = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int epoch = rs.getInt(3);
          Optional<Integer> epochValue = rs.wasNull() ? Optional.empty() : Optional.of(epoch);
          packages.add(
              new InstalledPackage(
                  PackageFormat.fromId(rs.getString(1)),
                  rs.getString(2),
                  epochValue,
                  rs.getString(4),
                  Optional.ofNullable(rs.getString(5)),
                  rs.getString(6),
                  Optional.ofNullable(rs.getString(7)),
                  Optional.ofNullable(rs.getString(8))));
        }
      }
      return packages;
    } catch (SQLException e) {
      throw failure("read the packages of " + build, e);
    }
  }

  /** How many packages each build recorded, by build. */
  public synchronized Map<BuildId, Integer> packageCounts() throws CatalogException {
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT b.node, b.number, COUNT(p.name) FROM builds b"
                    + " LEFT JOIN packages p ON p.build_id = b.id GROUP BY b.id")) {
      Map<BuildId, Integer> counts = new HashMap<>();
      while (rs.next()) {
        counts.put(new BuildId(rs.getString(1), rs.getInt(2)), rs.getInt(3));
      }
      return counts;
    } catch (SQLException e) {
      throw failure("count packages", e);
    }
  }

  private List<StoredBuild> loadBuilds(String where, List<Object> args) throws SQLException {
    Map<Long, BuildRecord.Builder> builders = new LinkedHashMap<>();
    Map<Long, BuildId> ids = new HashMap<>();
    Map<Long, String> origins = new HashMap<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT b.id, b.node, b.number, b.reference, b.digest, b.config_digest, b.config,"
                + " b.parent_node, b.base_reference, b.base_digest, b.containerfile_digest,"
                + " b.project_entry, b.git_commit, b.build_args, b.built_at, b.size,"
                + " b.signature_state, b.signature_reference, b.signature_key, b.plan_reasons,"
                + " b.engine, b.origin FROM builds b "
                + where
                + " ORDER BY b.id")) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong("id");
          BuildRecord.Builder b =
              BuildRecord.builder(
                      rs.getString("node"),
                      rs.getString("reference"),
                      rs.getString("digest"),
                      Instant.parse(rs.getString("built_at")))
                  .configDigest(rs.getString("config_digest"))
                  .config(rs.getString("config"))
                  .parentNode(rs.getString("parent_node"))
                  .base(rs.getString("base_reference"), rs.getString("base_digest"))
                  .containerfileDigest(rs.getString("containerfile_digest"))
                  .projectEntry(rs.getString("project_entry"))
                  .gitCommit(rs.getString("git_commit"))
                  .buildArgs(parse(rs.getString("build_args"), STRING_MAP))
                  .size(rs.getLong("size"))
                  .signature(
                      new Signature(
                          SignatureState.fromId(rs.getString("signature_state")),
                          Optional.ofNullable(rs.getString("signature_reference")),
                          Optional.ofNullable(rs.getString("signature_key"))))
                  .planReasons(parse(rs.getString("plan_reasons"), STRING_LIST))
                  .engine(rs.getString("engine"));
          builders.put(id, b);
          ids.put(id, new BuildId(rs.getString("node"), rs.getInt("number")));
          origins.put(id, rs.getString("origin"));
        }
      }
    }
    if (builders.isEmpty()) {
      return List.of();
    }
    String in = "build_id IN (SELECT b.id FROM builds b " + where + ")";
    Map<Long, List<String>> tags = new HashMap<>();
    Map<Long, List<String>> parents = new HashMap<>();
    Map<Long, List<Layer>> layers = new HashMap<>();
    Map<Long, Map<String, String>> labels = new HashMap<>();
    Map<Long, List<Attestation>> attestations = new HashMap<>();
    Map<Long, List<DiskImage>> disks = new HashMap<>();
    query(
        "SELECT build_id, tag FROM build_tags WHERE " + in + " ORDER BY rowid",
        args,
        rs -> tags.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2)));
    query(
        "SELECT build_id, digest FROM build_parents WHERE " + in + " ORDER BY build_id, position",
        args,
        rs -> parents.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2)));
    query(
        "SELECT build_id, digest, size, created_by FROM layers WHERE "
            + in
            + " ORDER BY build_id, position",
        args,
        rs ->
            layers
                .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(new Layer(rs.getString(2), rs.getLong(3), rs.getString(4))));
    query(
        "SELECT build_id, key, value FROM labels WHERE " + in + " ORDER BY build_id, key",
        args,
        rs ->
            labels
                .computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                .put(rs.getString(2), rs.getString(3)));
    query(
        "SELECT build_id, predicate_type, digest, reference FROM attestations WHERE "
            + in
            + " ORDER BY rowid",
        args,
        rs ->
            attestations
                .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(
                    new Attestation(
                        rs.getString(2),
                        Optional.ofNullable(rs.getString(3)),
                        Optional.ofNullable(rs.getString(4)))));
    query(
        "SELECT build_id, type, path, size, digest, made_at FROM disks WHERE "
            + in
            + " ORDER BY rowid",
        args,
        rs ->
            disks
                .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(
                    new DiskImage(
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        Optional.ofNullable(rs.getString(5)),
                        Instant.parse(rs.getString(6)))));
    List<StoredBuild> builds = new ArrayList<>();
    for (Map.Entry<Long, BuildRecord.Builder> e : builders.entrySet()) {
      long id = e.getKey();
      BuildRecord record =
          e.getValue()
              .tags(tags.getOrDefault(id, List.of()))
              .parentDigests(parents.getOrDefault(id, List.of()))
              .layers(layers.getOrDefault(id, List.of()))
              .labels(labels.getOrDefault(id, Map.of()))
              .attestations(attestations.getOrDefault(id, List.of()))
              .disks(disks.getOrDefault(id, List.of()))
              .build();
      builds.add(new StoredBuild(ids.get(id), origins.get(id), record));
    }
    return builds;
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private interface Binder<T> {
    void bind(PreparedStatement ps, T value) throws SQLException;
  }

  private <T> T inTransaction(String what, SqlWork<T> work) throws CatalogException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        T result = work.run();
        statement.execute("COMMIT");
        return result;
      } catch (SQLException | RuntimeException e) {
        statement.execute("ROLLBACK");
        throw e;
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private void query(String sql, List<Object> args, RowReader reader) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    }
  }

  private <T> void batch(String sql, List<T> values, Binder<T> binder) throws SQLException {
    if (values.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (T value : values) {
        binder.bind(ps, value);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static List<Integer> indices(int n) {
    List<Integer> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    return list;
  }

  private static void setOptional(PreparedStatement ps, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      ps.setString(index, value.get());
    } else {
      ps.setNull(index, Types.VARCHAR);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + value + " as JSON", e);
    }
  }

  private static <T> T parse(String json, TypeReference<T> type) throws SQLException {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("malformed JSON in the catalog: " + json, e);
    }
  }

  private CatalogException failure(String what, SQLException e) {
    return CatalogException.storage(
        "catalog " + file + ": cannot " + what + ": " + e.getMessage(), e);
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Already failing; the first error is the one to report.
      }
    }
  }

  @Override
  public synchronized void close() throws CatalogException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw failure("close", e);
    }
  }
}
