// Controls the public-service readiness views share (the Services pages
// and the map's readiness measure): a line of choices (campaign, sector,
// service), and the downloads of a campaign's shares.
import { apiUrl } from '../api.js';
import { h } from '../dom.js';
import { downloads } from './downloads.js';

// "Label: a · b · c", each a link (hrefFor(key)) carrying [attr]=key, the
// current one marked aria-current. items: [key, name] pairs.
export function pickerLine(label, items, current, hrefFor, attr) {
  return h('p', {}, label, ' ', items.map(([key, name], i) => [i ? ' · ' : '',
    h('a', { href: hrefFor(key), [attr]: key, 'aria-current': key === current ? 'page' : null }, name)]));
}

// The shares of a campaign for one service, as the API's CSV and JSON.
export function shareDownloads(campaignId, service) {
  return downloads('service-shares', {
    csv: apiUrl('api/v1/services/shares', { campaign_id: campaignId, service, format: 'csv' }),
    json: apiUrl('api/v1/services/shares', { campaign_id: campaignId, service }),
  });
}
