package de.jobcenter.orchestrator.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Indexes for the engine's own queries that its schema lacks, created after the schema (idempotent, so every
 * start of every node may run them). Each was found in the profile under load (docs/performance.md).
 *
 * <p>Reading a scope's variables ({@code selectVariablesByExecutionId}, run for every fetched external task and
 * every scope level above it) filters on {@code EXECUTION_ID_ = ? AND TASK_ID_ IS NULL AND NAME_ IN (...)}. H2's
 * planner takes the index on (TASK_ID_, NAME_, TYPE_) for it, where TASK_ID_ IS NULL holds for every process
 * variable of every running instance: the read then grows with the whole runtime, and an intake slows down as the
 * number of open cases grows. An index led by EXECUTION_ID_ is chosen instead and reads only the scope's rows.
 * PostgreSQL plans this query on its index of EXECUTION_ID_ (combined in a bitmap with the TASK_ID_ index, whose
 * share grows with the runtime; fetch-and-lock stayed at 4 % of its CPU in the profile), as long as it plans it for
 * the table's current size (PostgresCustomPlans). The index would cost it one
 * more write per variable and is therefore created on H2 only; whether it pays on PostgreSQL at scale is not
 * measured yet. An index created before stays when the switch is turned off later.
 */
public class QueryIndexes extends AbstractProcessEnginePlugin {

  /** "false" leaves the indexes out: only for the benchmark's comparison with the engine's own schema. */
  static final String SWITCH_VARIABLE = "ENGINE_QUERY_INDEXES";

  private final boolean enabled;

  QueryIndexes(boolean enabled) {
    this.enabled = enabled;
  }

  static boolean enabled(String raw) {
    return SwitchSetting.parse(SWITCH_VARIABLE, raw);
  }

  static final List<String> H2 =
      List.of("CREATE INDEX IF NOT EXISTS JC_IDX_VAR_EXEC_NAME ON ACT_RU_VARIABLE(EXECUTION_ID_, NAME_)");

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    if (!enabled || !"h2".equals(configuration.getDatabaseType())) return;
    create(configuration.getDataSource(), H2);
  }

  static void create(DataSource dataSource, List<String> statements) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) statement.execute(sql);
      if (!connection.getAutoCommit()) connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create the engine's query indexes: " + e.getMessage(), e);
    }
  }
}
