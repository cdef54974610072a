package dev.vigil.alertapi;

import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * Plain JDBC with prepared statements: every value is a bound parameter, and SQL text is only ever
 * put together from constant fragments of this module.
 */
@Singleton
public final class Db {
    private final DataSource dataSource;

    public Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    /** Runs read-only {@code work} on a connection in autocommit mode. */
    public <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    public interface Row<T> {
        T map(java.sql.ResultSet rs) throws SQLException;
    }

    /** Runs a query with its values bound in order and maps every row. */
    public static <T> java.util.List<T> query(Connection c, String sql, java.util.List<?> params, Row<T> row)
            throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            java.util.List<T> out = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.map(rs));
                }
            }
            return out;
        }
    }

    public static Timestamp ts(long epochMs) {
        return new Timestamp(epochMs);
    }

    public static String iso(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }
}
