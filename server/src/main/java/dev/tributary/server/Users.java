package dev.tributary.server;

import dev.tributary.scheduler.JdbcMetadataStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The accounts of the web UI and API in the metadata store (H2 or PostgreSQL; table {@code web_users}, created IF NOT
 * EXISTS when opened): a name, a {@link Role}, the password only as its PBKDF2 hash ({@link PasswordHash}), and
 * whether it is disabled. The bootstrap admin from {@code TRIBUTARY_ADMIN_USER}/{@code TRIBUTARY_ADMIN_PASSWORD} is
 * not stored here; its name is reserved. The store never loses its last enabled admin: demoting or disabling it is
 * refused. Every method is one transaction.
 */
public final class Users {
    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 200;
    private static final String NAME_RULE = "[A-Za-z0-9][A-Za-z0-9._@-]{0,63}";

    /** An account as pages and the CLI show it; never its password hash. */
    public record User(String name, Role role, boolean disabled, Instant createdAt, Instant updatedAt) {}

    /** A refused change, with the HTTP status it answers (400 bad input, 404 no such user, 409 conflict). */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final JdbcMetadataStore db;
    private final String reservedName;

    private Users(JdbcMetadataStore db, String reservedName) {
        this.db = db;
        this.reservedName = reservedName;
    }

    /** The accounts of {@code db}, creating the table when missing; {@code bootstrapAdmin} is the env admin's name. */
    public static Users open(JdbcMetadataStore db, String bootstrapAdmin) {
        Users users = new Users(Objects.requireNonNull(db, "db is null"), Objects.requireNonNull(bootstrapAdmin, "bootstrapAdmin is null"));
        db.createAdditiveTables(List.of("CREATE TABLE IF NOT EXISTS " + db.table("web_users") + " (user_name VARCHAR(64) PRIMARY KEY,"
                + " role VARCHAR(20) NOT NULL, password_hash VARCHAR(300) NOT NULL, disabled BOOLEAN NOT NULL,"
                + " created_at TIMESTAMP WITH TIME ZONE NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)"));
        return users;
    }

    /** No stored accounts (a server without a metadata store): only the bootstrap admin logs in. */
    static Users none(String bootstrapAdmin) {
        return new Users(null, bootstrapAdmin);
    }

    public boolean stored() {
        return db != null;
    }

    public String bootstrapAdmin() {
        return reservedName;
    }

    public List<User> list() {
        if (db == null) return List.of();
        return db.transaction(c -> {
            List<User> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + db.table("web_users") + " ORDER BY user_name")) {
                while (rs.next()) out.add(user(rs));
            }
            return out;
        });
    }

    public Optional<User> find(String name) {
        if (db == null || name == null) return Optional.empty();
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM " + db.table("web_users") + " WHERE user_name = ?")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(user(rs)) : Optional.<User>empty();
                }
            }
        });
    }

    /** The password hash of an enabled account (empty for an unknown or disabled one). */
    Optional<PasswordHash> passwordOf(String name) {
        if (db == null || name == null) return Optional.empty();
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT password_hash FROM " + db.table("web_users") + " WHERE user_name = ? AND disabled = FALSE")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(PasswordHash.parse(rs.getString(1))) : Optional.<PasswordHash>empty();
                }
            }
        });
    }

    /** Adds an enabled account; the password array is wiped. */
    public User add(String name, Role role, char[] password, Instant now) {
        requireStore();
        checkName(name);
        checkPassword(name, password);
        return add(name, role, PasswordHash.of(password), now);
    }

    /** Adds an account whose password was hashed already (tests hash once for many servers). */
    User add(String name, Role role, PasswordHash passwordHash, Instant now) {
        requireStore();
        checkName(name);
        String hash = passwordHash.encoded();
        return db.transaction(c -> {
            if (find(c, name).isPresent()) throw new Refused(409, "a user named '" + name + "' already exists");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + db.table("web_users")
                    + " (user_name, role, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, FALSE, ?, ?)")) {
                p.setString(1, name);
                p.setString(2, role.name());
                p.setString(3, hash);
                p.setObject(4, ts(now));
                p.setObject(5, ts(now));
                p.executeUpdate();
            }
            return find(c, name).orElseThrow();
        });
    }

    public User setRole(String name, Role role, Instant now) {
        return change(name, now, role, null, null);
    }

    /** A new password (the array is wiped); the account's sessions stay valid only until they expire or it is disabled. */
    public User resetPassword(String name, char[] password, Instant now) {
        requireStore();
        checkPassword(name, password);
        return change(name, now, null, PasswordHash.of(password).encoded(), null);
    }

    public User setDisabled(String name, boolean disabled, Instant now) {
        return change(name, now, null, null, disabled);
    }

    private User change(String name, Instant now, Role role, String hash, Boolean disabled) {
        requireStore();
        return db.transaction(c -> {
            // the admins' rows are locked so two demotions at once cannot both leave "another admin"
            List<String> admins = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT user_name FROM " + db.table("web_users")
                    + " WHERE role = 'ADMIN' AND disabled = FALSE FOR UPDATE")) {
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) admins.add(rs.getString(1));
                }
            }
            User before = find(c, name).orElseThrow(() -> new Refused(404, "no user named '" + name + "'"));
            Role newRole = role == null ? before.role() : role;
            boolean newDisabled = disabled == null ? before.disabled() : disabled;
            boolean losesAdmin = admins.contains(name) && (newRole != Role.ADMIN || newDisabled);
            if (losesAdmin && admins.size() == 1) {
                throw new Refused(409, "'" + name + "' is the last enabled admin; make another user admin first");
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE " + db.table("web_users")
                    + " SET role = ?, disabled = ?, password_hash = COALESCE(?, password_hash), updated_at = ? WHERE user_name = ?")) {
                p.setString(1, newRole.name());
                p.setBoolean(2, newDisabled);
                p.setString(3, hash);
                p.setObject(4, ts(now));
                p.setString(5, name);
                p.executeUpdate();
            }
            return find(c, name).orElseThrow();
        });
    }

    private void requireStore() {
        if (db == null) throw new Refused(409, "accounts need the metadata store; this server has none (only the bootstrap admin logs in)");
    }

    void checkName(String name) {
        if (name == null || !name.matches(NAME_RULE)) {
            throw new Refused(400, "a user name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        if (name.equalsIgnoreCase(reservedName)) {
            throw new Refused(409, "'" + name + "' is the bootstrap admin (TRIBUTARY_ADMIN_USER); choose another name");
        }
    }

    /** At least {@value #MIN_PASSWORD} characters, at most {@value #MAX_PASSWORD}, not the user name, not one character repeated. */
    static void checkPassword(String name, char[] password) {
        String problem = null;
        if (password == null || password.length < MIN_PASSWORD) problem = "a password needs at least " + MIN_PASSWORD + " characters";
        else if (password.length > MAX_PASSWORD) problem = "a password has at most " + MAX_PASSWORD + " characters";
        else if (name != null && new String(password).equalsIgnoreCase(name)) problem = "the password must not be the user name";
        else if (new String(password).chars().distinct().count() < 4) problem = "the password needs at least 4 different characters";
        if (problem != null) {
            if (password != null) Arrays.fill(password, '\0');
            throw new Refused(400, problem);
        }
    }

    private Optional<User> find(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM " + db.table("web_users") + " WHERE user_name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("user_name"), Role.valueOf(rs.getString("role")), rs.getBoolean("disabled"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    static OffsetDateTime ts(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
