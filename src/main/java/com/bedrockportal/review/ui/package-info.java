/** The access review pages: managers' open reviews and a unit's review, security's campaigns. */
package com.bedrockportal.review.ui;
