package org.learningregions.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The read-only rule of the sql command, decided before Spark sees the statement. */
@Tag("fast")
class SqlStatementsTest {
  @Test
  void queriesAndListingsRead() {
    assertNull(SqlStatements.writeKeyword("select count(*) from gold.analysis_panel"));
    assertNull(SqlStatements.writeKeyword("  -- a comment\n SELECT 'delete me' AS note, `update` FROM t"));
    assertNull(SqlStatements.writeKeyword("with x as (select 1) select * from x"));
    assertNull(SqlStatements.writeKeyword("/* drop table */ show tables in gold"));
    assertNull(SqlStatements.writeKeyword("describe history silver.regional_indicator"));
    assertNull(SqlStatements.writeKeyword("explain select 1"));
  }

  @Test
  void writesAreNamed() {
    assertEquals("DELETE", SqlStatements.writeKeyword("delete from silver.learning_participation"));
    assertEquals("INSERT", SqlStatements.writeKeyword("WITH x AS (SELECT 1) INSERT INTO gold.t SELECT * FROM x"));
    assertEquals("DROP", SqlStatements.writeKeyword("drop table gold.analysis_panel"));
    assertEquals("VACUUM", SqlStatements.writeKeyword("VACUUM gold.analysis_panel"));
    assertEquals("OPTIMIZE", SqlStatements.writeKeyword("optimize gold.analysis_panel"));
    assertEquals("MERGE", SqlStatements.writeKeyword("merge into a using b on a.k = b.k when matched then delete"));
    assertEquals("UPDATE", SqlStatements.writeKeyword("update gold.t set x = 1"));
    assertEquals("TRUNCATE", SqlStatements.writeKeyword("truncate table gold.t"));
    assertEquals("ALTER", SqlStatements.writeKeyword("ALTER TABLE gold.t ADD COLUMN c INT"));
    assertEquals("CREATE", SqlStatements.writeKeyword("create table x as select 1"));
    assertEquals("SET", SqlStatements.writeKeyword("select 1; set spark.sql.x = 1"));
  }
}
