package dev.tributary.sandbox.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The Snowflake-to-DuckDB rewrite on its own: names, types, clauses and functions. */
class SqlTranslatorTest {
    private static final SqlTranslator.SessionContext SESSION = new SqlTranslator.SessionContext() {
        @Override
        public String warehouse() {
            return "WH";
        }

        @Override
        public String role() {
            return "SYSADMIN";
        }

        @Override
        public String user() {
            return "LOADER";
        }

        @Override
        public String account() {
            return "SANDBOX";
        }

        @Override
        public long sessionId() {
            return 7;
        }
    };

    private static String t(String sql) {
        return SqlTranslator.translate(sql, SESSION);
    }

    @Test
    void unquotedNamesResolveUpperCaseAndQuotedOnesKeepTheirCase() {
        assertThat(t("select id, \"Mixed Case\" from analytics.stg_orders")).isEqualTo("SELECT ID, \"Mixed Case\" FROM ANALYTICS.STG_ORDERS");
        assertThat(t("select metadata$filename from t")).isEqualTo("SELECT \"METADATA$FILENAME\" FROM T");
    }

    @Test
    void stringsKeepTheirTextWithSnowflakesEscapes() {
        assertThat(t("select 'it''s', 'a\\'b\\\\c', $$x'y$$")).isEqualTo("SELECT 'it''s', 'a''b\\c', 'x''y'");
    }

    @Test
    void typesAndDdl() {
        assertThat(t("create or replace transient table s.t (id number, amt number(12,2), doc variant, at timestamp_ntz, tz timestamp_ltz, name text)"))
                .isEqualTo("CREATE OR REPLACE TABLE S.T (ID DECIMAL(38, 0), AMT DECIMAL(12,2), DOC JSON, AT TIMESTAMP, TZ TIMESTAMPTZ, NAME VARCHAR)");
        assertThat(t("select x::variant, cast(y as number(10, 2)), text, number from t")).isEqualTo("SELECT X::JSON, CAST(Y AS DECIMAL(10, 2)), TEXT, NUMBER FROM T");
        assertThat(t("alter table a.b.c__tmp rename to a.b.c")).isEqualTo("ALTER TABLE A.B.C__TMP RENAME TO C");
    }

    @Test
    void dbtSnowflakesDdlIsAccepted() {
        assertThat(t("create or replace secure view s.v copy grants as (select 1 as a)")).isEqualTo("CREATE OR REPLACE VIEW S.V AS (SELECT 1 AS A)");
        assertThat(t("create or replace transient table s.t copy grants as (select 1)")).isEqualTo("CREATE OR REPLACE TABLE S.T AS (SELECT 1)");
    }

    @Test
    void regexpReplaceReplacesEveryMatchAsSnowflakes() {
        assertThat(t("select regexp_replace(lower(a), '[^a-z]+', ' ')")).isEqualTo("SELECT REGEXP_REPLACE(LOWER(A), '[^a-z]+', ' ', 'g')");
        assertThat(t("select regexp_replace(a, 'x')")).isEqualTo("SELECT REGEXP_REPLACE(A, 'x', '', 'g')");
        assertThat(t("select regexp_replace(a, 'x', 'y', 1, 1)")).isEqualTo("SELECT REGEXP_REPLACE(A, 'x', 'y')");
        assertThat(t("select regexp_replace(a, 'x', 'y', 1, 0, 'i')")).isEqualTo("SELECT REGEXP_REPLACE(A, 'x', 'y', 'gi')");
        // PostgreSQL's and DuckDB's flags argument is Snowflake's position: a conversion error there, so here too
        assertThatThrownBy(() -> t("select regexp_replace(a, 'x', 'y', 'g')")).isInstanceOf(SnowflakeError.class).hasMessageContaining("Numeric value 'g' is not recognized");
        assertThatThrownBy(() -> t("select regexp_replace(a, 'x', 'y', 2)")).isInstanceOf(SnowflakeError.class).hasMessageContaining("Unsupported feature");
    }

    @Test
    void anAggregateFilterClauseIsNotSnowflakeSql() {
        assertThatThrownBy(() -> t("select count(*) filter (where a > 1) from t")).isInstanceOf(SnowflakeError.class).hasMessageContaining("FILTER (WHERE");
        assertThat(t("select filter(arr, x -> x > 1) from t")).startsWith("SELECT FILTER(ARR");
    }

    @Test
    void functionsAndClauses() {
        assertThat(t("select listagg(name, ', ') within group (order by name desc) from t")).isEqualTo("SELECT STRING_AGG(NAME, ', ' ORDER BY NAME DESC) FROM T");
        assertThat(t("select listagg(name) from t")).isEqualTo("SELECT STRING_AGG(NAME, '') FROM T");
        assertThat(t("select dateadd(mm, 1, d), datediff(day, a, b), date_trunc(month, d) from t"))
                .isEqualTo("SELECT DATEADD('month', 1, D), DATEDIFF('day', A, B), DATE_TRUNC('month', D) FROM T");
        assertThat(t("select current_timestamp(), current_warehouse(), current_role(), current_user()")).isEqualTo("SELECT CURRENT_TIMESTAMP, 'WH', 'SYSADMIN', 'LOADER'");
        assertThat(t("select regexp_like(a, '[0-9]+'), to_timestamp(b), getdate()")).isEqualTo("SELECT REGEXP_FULL_MATCH(A, '[0-9]+'), TO_TIMESTAMP_NTZ(B), SYSDATE()");
    }

    @Test
    void lastDayKeepsItsDateArgument() {
        // last_day's first argument is the date, not a date part: it must stay a column (it became a string literal)
        assertThat(t("select last_day(order_date) from t")).isEqualTo("SELECT LAST_DAY(ORDER_DATE) FROM T");
    }

    @Test
    void informationSchemaIsNarrowedToTheDatabase() {
        assertThat(t("select column_name, data_type from analytics.information_schema.columns where table_name = 'T'"))
                .isEqualTo("SELECT COLUMN_NAME, DATA_TYPE FROM (SELECT * REPLACE (SF_TYPE_NAME(DATA_TYPE) AS DATA_TYPE) FROM INFORMATION_SCHEMA.COLUMNS"
                        + " WHERE TABLE_CATALOG = 'ANALYTICS') WHERE TABLE_NAME = 'T'");
        assertThatThrownBy(() -> t("select * from information_schema.stages")).isInstanceOf(SnowflakeError.class).hasMessageContaining("INFORMATION_SCHEMA.STAGES");
    }

    @Test
    void brokenTextIsASyntaxError() {
        assertThatThrownBy(() -> t("select 'open")).isInstanceOf(SnowflakeError.class).hasMessageContaining("unterminated string literal");
        assertThatThrownBy(() -> t("select listagg(a, ',' from t")).isInstanceOf(SnowflakeError.class).hasMessageContaining("unbalanced parentheses");
    }
}
