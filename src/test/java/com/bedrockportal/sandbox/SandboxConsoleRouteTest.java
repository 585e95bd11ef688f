package com.bedrockportal.sandbox;

import com.bedrockportal.sandbox.ui.SandboxView;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinServiceInitListener;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated account's console exists only in sandbox mode: its route is not registered at start-up, and in aws
 * mode neither the console nor the listener that registers the route is there. (DriftE2E uses it in sandbox mode.)
 */
class SandboxConsoleRouteTest {

    @Test
    void inAwsModeThereIsNoConsoleAndNoRouteToIt() {
        assertThat(SandboxView.class.getAnnotation(Route.class).registerAtStartup()).isFalse();
        new ApplicationContextRunner().withUserConfiguration(SandboxConfig.class)
                .withPropertyValues("portal.aws.mode=aws")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(SandboxConsole.class);
                    assertThat(context).doesNotHaveBean(VaadinServiceInitListener.class);
                });
    }
}
