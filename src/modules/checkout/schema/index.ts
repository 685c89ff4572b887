import './types';
import './orders';
import './member';
