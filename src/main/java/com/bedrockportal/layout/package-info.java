/**
 * The frame every view sits in: the main layout (navigation by the user's roles, navbar widgets), the home page and
 * the cards feature modules contribute to it ({@link com.bedrockportal.layout.HomeCard},
 * {@link com.bedrockportal.layout.NavbarWidget}), and the access-denied page. Depends on identity (who is logged in)
 * and shared; feature views depend on it, never the other way round.
 */
package com.bedrockportal.layout;
