package de.jobcenter.orchestrator.engine;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Custom plans for the engine's statements on PostgreSQL: every connection of the pool starts with
 * {@code SET plan_cache_mode = force_custom_plan}.
 *
 * <p>The JDBC driver prepares a statement on the server from its fifth use on, and PostgreSQL then keeps one
 * generic plan for it per connection, costed on the table sizes the statistics gave at that moment. The engine's
 * runtime tables fill and empty all day: a pool connection that prepared its statements while ACT_RU_VARIABLE and
 * ACT_RU_EXECUTION were nearly empty (a fresh engine, a quiet night, right after autovacuum) kept reading a scope's
 * variables by a sequential scan of the whole table, 50 to 65 ms a read instead of well under one, and the engine ran
 * 3.4 intakes per second instead of 6 to 7 (docs/performance.md, "Plans on PostgreSQL"). A custom plan is made for
 * each execution with its parameters and the table's current size; planning these statements costs far less than
 * one such scan. A connection-init SQL configured by the operator (spring.datasource.hikari.connection-init-sql) is
 * left as it is.
 */
public class PostgresCustomPlans implements BeanPostProcessor {

  /** "false" keeps PostgreSQL's default (auto): only for the benchmark's comparison. */
  static final String SWITCH_VARIABLE = "ENGINE_POSTGRES_CUSTOM_PLANS";

  static final String INIT_SQL = "SET plan_cache_mode = force_custom_plan";

  private final boolean enabled;

  PostgresCustomPlans(boolean enabled) {
    this.enabled = enabled;
  }

  static boolean enabled(String raw) {
    return SwitchSetting.parse(SWITCH_VARIABLE, raw);
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    // After Spring has bound spring.datasource.*, before the pool opens its first connection.
    if (enabled
        && bean instanceof HikariDataSource dataSource
        && dataSource.getJdbcUrl() != null
        && dataSource.getJdbcUrl().startsWith("jdbc:postgresql:")
        && dataSource.getConnectionInitSql() == null) {
      dataSource.setConnectionInitSql(INIT_SQL);
    }
    return bean;
  }
}
