package com.bedrockportal.workflow;

import java.io.StringReader;

import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.session.Configuration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EngineMappingsTest {

    private static final String MAPPER = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE mapper PUBLIC "-//mybatis.org//DTD Mapper 3.0//EN" "http://mybatis.org/dtd/mybatis-3-mapper.dtd">
            <mapper namespace="keys">
              <sql id="columns">ID_, NAME_</sql>
              <select id="select" resultType="map">select <include refid="keys.columns"/> from KEYS_</select>
            </mapper>
            """;

    @Test
    void dropsTheFragmentsOnlyAfterTheStatementsThatIncludeThemAreBuilt() {
        Configuration mybatis = new Configuration();
        new XMLMapperBuilder(new StringReader(MAPPER), mybatis, "keys.xml", mybatis.getSqlFragments()).parse();
        assertThat(mybatis.getSqlFragments()).containsKey("keys.columns");

        EngineMappings.release(mybatis);

        assertThat(mybatis.getSqlFragments()).isEmpty();
        assertThat(mybatis.getMappedStatement("keys.select").getBoundSql(null).getSql())
                .isEqualToIgnoringWhitespace("select ID_, NAME_ from KEYS_");
    }
}
