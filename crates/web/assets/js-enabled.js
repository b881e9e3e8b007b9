// Runs first, before the page is drawn, so GOV.UK Frontend styles for
// JavaScript-enhanced components apply without a flash of unstyled content.
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
