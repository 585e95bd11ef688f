/** The key page ({@code keys/{id}}): a key's details and the actions the user may take on it, each with a reason. */
package com.bedrockportal.lifecycle.ui;
