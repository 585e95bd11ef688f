package com.bedrockportal.identity;

import java.util.List;
import java.util.function.Predicate;

import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.auth.AccessCheckDecisionResolver;
import com.vaadin.flow.server.auth.AnnotatedViewAccessChecker;
import com.vaadin.flow.server.auth.DefaultAccessCheckDecisionResolver;
import com.vaadin.flow.spring.security.VaadinRolePrefixHolder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class RolesFromRequestTest {

    final VaadinRolePrefixHolder rolePrefix = mock(VaadinRolePrefixHolder.class);
    final AccessCheckDecisionResolver resolver = new DefaultAccessCheckDecisionResolver();
    final RolesFromRequest control = new RolesFromRequest(List.of(new AnnotatedViewAccessChecker()), resolver,
            rolePrefix);

    @Test
    void aNavigationAsksTheRequestForRolesWithoutLookingAnythingUpInTheVaadinService() {
        VaadinRequest request = mock(VaadinRequest.class);
        when(request.isUserInRole("SECURITY")).thenReturn(true);
        // Vaadin's own checker reaches the holder through request.getService()'s Lookup on every navigation.
        when(request.getService()).thenThrow(new AssertionError("looked up through the Vaadin service"));
        when(rolePrefix.isSet()).thenReturn(false, true);

        Predicate<String> roles = control.getRolesChecker(request);
        assertThat(roles.test("SECURITY")).isTrue();
        assertThat(roles.test("ADMIN")).isFalse();
        verify(rolePrefix, times(1)).resetRolePrefix(request);

        control.getRolesChecker(request);
        verify(rolePrefix, times(1)).resetRolePrefix(request); // set once, at the first navigation
    }

    @Test
    void aPushMessageOverTheWebsocketIsToldApartAsVaadinTellsIt() {
        VaadinRequest push = mock(VaadinRequest.class);
        when(push.getParameter("v-r")).thenReturn("push");
        when(push.getHeader("X-Atmosphere-Transport")).thenReturn("websocket");
        VaadinRequest longPolling = mock(VaadinRequest.class);
        when(longPolling.getParameter("v-r")).thenReturn("push");
        when(longPolling.getHeader("X-Atmosphere-Transport")).thenReturn("long-polling");
        VaadinRequest navigation = mock(VaadinRequest.class);
        when(navigation.getParameter("v-r")).thenReturn("uidl");

        assertThat(RolesFromRequest.isWebsocketPush(push)).isTrue();
        assertThat(RolesFromRequest.isWebsocketPush(longPolling)).isFalse();
        assertThat(RolesFromRequest.isWebsocketPush(navigation)).isFalse();

        // Over the websocket there is no servlet request to ask: Vaadin's own way, from the security context.
        when(push.isUserInRole("ADMIN")).thenReturn(true);
        assertThat(control.getRolesChecker(push).test("ADMIN")).as("no authentication in this thread").isFalse();
        verify(push, never()).isUserInRole("ADMIN");
        verify(rolePrefix, never()).resetRolePrefix(push);
    }
}
