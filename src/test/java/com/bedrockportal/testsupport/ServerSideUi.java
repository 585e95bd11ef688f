package com.bedrockportal.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.dom.Element;
import com.vaadin.flow.internal.nodefeature.VirtualChildrenList;
import com.vaadin.flow.server.VaadinSession;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mockito.Mockito;

/**
 * A Vaadin UI for a test of a view's parts on the server, without a browser: the current UI of the test's thread,
 * its session locked. Register it with {@code @RegisterExtension}; it stops being current after each test.
 */
public final class ServerSideUi implements AfterEachCallback {

    private final UI ui = new UI();

    public ServerSideUi() {
        VaadinSession session = Mockito.mock(VaadinSession.class);
        Mockito.when(session.hasLock()).thenReturn(true);
        ui.getInternals().setSession(session);
        UI.setCurrent(ui);
    }

    public UI ui() {
        return ui;
    }

    /** Runs what waits for the next answer to the browser (a dialog opened is attached to the UI then). */
    public void beforeAnswer() {
        ui.getInternals().getStateTree().runExecutionsBeforeClientResponse();
    }

    /** The component with {@code id} under {@code root}, a dialog's header and footer included; null if none. */
    public static Component byId(Component root, String id) {
        return byId(root.getElement(), id);
    }

    private static Component byId(Element root, String id) {
        if (id.equals(root.getAttribute("id"))) {
            return root.getComponent().orElseThrow();
        }
        List<Element> under = new ArrayList<>(root.getChildren().toList());
        if (root.getNode().hasFeature(VirtualChildrenList.class)) {
            root.getNode().getFeatureIfInitialized(VirtualChildrenList.class)
                    .ifPresent(v -> v.forEachChild(n -> under.add(Element.get(n))));
        }
        return under.stream().map(e -> byId(e, id)).filter(Objects::nonNull).findFirst().orElse(null);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        UI.setCurrent(null);
    }
}
