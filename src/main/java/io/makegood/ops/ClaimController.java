package io.makegood.ops;

import io.makegood.credit.claim.ClaimService;
import io.makegood.credit.claim.ClaimService.ClaimOutcome;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The customer's claim page. GET only looks (mail scanners and link previews fetch links before people do);
 * POST, with the page's CSRF token, applies the credit. Both count against the client address's attempt limit.
 */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ClaimController {

	private static final String VIEW = "claim";

	private final ClaimService claims;

	private final ClaimAttemptLimiter limiter;

	public ClaimController(ClaimService claims, ClaimAttemptLimiter limiter) {
		this.claims = claims;
		this.limiter = limiter;
	}

	@GetMapping("/claim/{token}")
	public ModelAndView show(@PathVariable String token, CsrfToken csrf, HttpServletRequest request,
			HttpServletResponse response) {
		if (!limiter.tryAttempt(request.getRemoteAddr())) {
			return tooMany(response);
		}
		return page(ClaimPage.of(claims.look(token), false), token, csrf);
	}

	@PostMapping("/claim/{token}")
	public ModelAndView claim(@PathVariable String token, CsrfToken csrf, HttpServletRequest request,
			HttpServletResponse response) {
		if (!limiter.tryAttempt(request.getRemoteAddr())) {
			return tooMany(response);
		}
		ClaimOutcome outcome = claims.claim(token);
		return page(ClaimPage.of(outcome.view(), outcome.appliedNow()), token, csrf);
	}

	private static ModelAndView page(ClaimPage page, String token, CsrfToken csrf) {
		ModelAndView view = new ModelAndView(VIEW,
				page.model("/claim/" + token, csrf.getParameterName(), page.form() ? csrf.getToken() : ""));
		view.setStatus(HttpStatus.valueOf(page.status()));
		return view;
	}

	private static ModelAndView tooMany(HttpServletResponse response) {
		response.setHeader("Retry-After", "60");
		ModelAndView view = new ModelAndView(VIEW, new ClaimPage(429, "Too many attempts", "Too many attempts",
				"Please wait a minute, then open the link from your email again.", "", false, false)
			.model("", "_csrf", ""));
		view.setStatus(HttpStatus.TOO_MANY_REQUESTS);
		return view;
	}

}
