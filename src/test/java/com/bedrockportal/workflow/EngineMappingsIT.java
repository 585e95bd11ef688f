package com.bedrockportal.workflow;

import com.bedrockportal.testsupport.PostgresSupport;

import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.session.Configuration;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine keeps none of the XML its SQL mappings were parsed from, and every statement is built. */
class EngineMappingsIT extends PostgresSupport {

    @Autowired
    ProcessEngineConfigurationImpl engine;
    @Autowired
    HistoryService history;
    @Autowired
    ManagementService management;

    @Test
    void theParsedMappingFilesAreReleasedAndEveryStatementIsBuilt() {
        Configuration mybatis = engine.getSqlSessionFactory().getConfiguration();

        assertThat(mybatis.getSqlFragments()).isEmpty();
        assertThat(mybatis.getMappedStatements()).hasSizeGreaterThan(500)
                .allSatisfy(statement -> assertThat(statement.getSqlSource()).isNotNull());
        // Statements whose SQL was assembled from <include>d fragments: the paging and the query criteria.
        MappedStatement paged = mybatis.getMappedStatement("selectHistoricProcessInstancesByQueryCriteria");
        assertThat(paged.getSqlSource()).isNotNull();
        assertThat(history.createHistoricProcessInstanceQuery().listPage(0, 5)).hasSizeLessThanOrEqualTo(5);
        assertThat(management.createJobQuery().withException().count()).isNotNegative();
    }
}
